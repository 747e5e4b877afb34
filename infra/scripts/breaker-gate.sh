#!/usr/bin/env bash
# breaker_gate RESOURCE_GROUP DEPLOYMENT_NAME
#
# Succeeds only when the circuit breaker reports `closed`, or when there is no breaker to ask yet
# (no resource group, no deployment, no breaker host: a first deploy). Used before a template
# deploy and before an ingestion deploy: ARM replaces a site's app settings wholesale, so with the
# breaker open in arm-function mode a deploy would delete the setting that disables ingestion, and
# ingestion would resume without an operator's approval; in arm-app mode a new package's smoke
# check would find the stopped site. Reads GET /api/breaker with the breaker's status key
# (BREAKER_STATUS_KEY, the `status-readers` function key). ALLOW_DEPLOY_WHILE_BREAKER_OPEN=true
# skips the gate (an operator's deliberate choice; the log says so).
breaker_gate() {
  local rg="$1" deployment="$2" host body status
  if [ "${ALLOW_DEPLOY_WHILE_BREAKER_OPEN:-false}" = "true" ]; then
    echo "##vso[task.logissue type=warning]breaker gate skipped: ALLOW_DEPLOY_WHILE_BREAKER_OPEN=true"
    return 0
  fi
  if [ "$(az group exists --name "$rg")" != "true" ]; then
    echo "breaker gate: resource group $rg does not exist yet"
    return 0
  fi
  host=$(az deployment group show -g "$rg" -n "$deployment" --query 'properties.outputs.functionAppHostNames.value."circuit-breaker"' -o tsv 2>/dev/null || true)
  if [ -z "$host" ]; then
    echo "breaker gate: no circuit breaker deployed yet"
    return 0
  fi
  if ! body=$(curl -fsS --max-time 30 --retry 3 --retry-all-errors --retry-delay "${BREAKER_GATE_RETRY_DELAY:-5}" -H "x-functions-key: ${BREAKER_STATUS_KEY:-}" "${BREAKER_GATE_SCHEME:-https}://$host/api/breaker"); then
    echo "##vso[task.logissue type=error]breaker gate: GET https://$host/api/breaker failed; the breaker's state is unknown, so nothing is deployed (ALLOW_DEPLOY_WHILE_BREAKER_OPEN=true overrides)"
    return 1
  fi
  status=$(printf '%s' "$body" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const v=JSON.parse(s).status;process.stdout.write(typeof v==="string"?v:"")}catch{process.stdout.write("")}})')
  if [ "$status" != "closed" ]; then
    echo "##vso[task.logissue type=error]breaker gate: the circuit breaker is '${status:-unreadable}'; deploying now could resume ingestion without an operator. Approve or wait for the resume first (ALLOW_DEPLOY_WHILE_BREAKER_OPEN=true overrides)"
    return 1
  fi
  echo "breaker gate: the circuit breaker is closed"
}
