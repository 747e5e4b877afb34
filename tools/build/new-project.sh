#!/usr/bin/env bash
# Scaffolds a project with the workspace's standard targets: new-project.sh <root> <tags,comma> [app]
set -euo pipefail
root=$1; tags=$2; kind=${3:-lib}
name=${NAME:-$(basename "$root")}
# Nx project names must be unique: a lib named like an app gets a suffix (NAME=... overrides).
if grep -rqs --include=project.json "\"name\": \"$name\"" apps libs tools 2>/dev/null; then name="$name-$(basename "$(dirname "$root")" | sed 's/s$//')"; fi
mkdir -p "$root/src"
tagjson=$(printf '"%s",' ${tags//,/ }); tagjson="[${tagjson%,}]"
targets='"lint": {}, "typecheck": {}, "test": {}'
[ "$kind" = app ] && targets="$targets, \"build\": {}"
cat > "$root/project.json" <<JSON
{
  "name": "$name",
  "\$schema": "../../node_modules/nx/schemas/project-schema.json",
  "projectType": "$([ "$kind" = app ] && echo application || echo library)",
  "sourceRoot": "$root/src",
  "tags": $tagjson,
  "targets": { $targets }
}
JSON
cat > "$root/tsconfig.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "include": ["src/**/*.ts"]
}
JSON
cat > "$root/jest.config.cjs" <<JSON
module.exports = { ...require('../../jest.preset.cjs'), displayName: '$name', rootDir: __dirname };
JSON
