#!/usr/bin/env bash
# breaker_gate RESOURCE_GROUP DEPLOYMENT_NAME
#
# Succeeds only when the circuit breaker reports `closed`, or when there is provably no breaker
# to ask yet (no resource group; no deployment; a deployment without a breaker; a breaker app with
# no package, so nothing that could have opened). Used before a template deploy and before an
# ingestion deploy: ARM replaces a site's app settings wholesale, so with the breaker open in
# arm-function mode a deploy would delete the setting that disables ingestion, and ingestion would
# resume without an operator's approval; in arm-app mode a new package's smoke check would find
# the stopped site. It fails closed: an `az` error, a failed last deployment or an unreadable state
# refuses. The status key is read from the breaker app itself (control plane), so a rotation of
# the pipeline's copy cannot lock the gate; BREAKER_STATUS_KEY is the fallback.
# ALLOW_DEPLOY_WHILE_BREAKER_OPEN=true skips the gate (an operator's deliberate choice; logged).
breaker_gate() {
  local rg="$1" deployment="$2" exists state site host key body status err errfile
  errfile=$(mktemp)
  if [ "${ALLOW_DEPLOY_WHILE_BREAKER_OPEN:-false}" = "true" ]; then
    echo "##vso[task.logissue type=warning]breaker gate skipped: ALLOW_DEPLOY_WHILE_BREAKER_OPEN=true"
    return 0
  fi
  refuse() {
    echo "##vso[task.logissue type=error]breaker gate: $1; nothing is deployed (ALLOW_DEPLOY_WHILE_BREAKER_OPEN=true overrides)"
    return 1
  }
  if ! exists=$(az group exists --name "$rg"); then refuse "cannot tell whether $rg exists (az failed)"; return 1; fi
  if [ "$exists" != "true" ]; then
    echo "breaker gate: resource group $rg does not exist yet"
    return 0
  fi
  if ! state=$(az deployment group show -g "$rg" -n "$deployment" --query properties.provisioningState -o tsv 2>"$errfile"); then
    err=$(cat "$errfile" 2>/dev/null || true)
    if printf '%s' "$err" | grep -q 'DeploymentNotFound'; then
      echo "breaker gate: no deployment $deployment yet"
      return 0
    fi
    refuse "cannot read the deployment $deployment (az failed)"
    return 1
  fi
  # A failed or running deployment has no (or stale) outputs: they cannot say where the breaker is.
  if [ "$state" != "Succeeded" ]; then refuse "the last deployment $deployment is '$state', so where the breaker runs is unknown"; return 1; fi
  if ! site=$(az deployment group show -g "$rg" -n "$deployment" --query 'properties.outputs.functionApps.value."circuit-breaker"' -o tsv) ||
     ! host=$(az deployment group show -g "$rg" -n "$deployment" --query 'properties.outputs.functionAppHostNames.value."circuit-breaker"' -o tsv); then
    refuse "cannot read the deployment's outputs (az failed)"
    return 1
  fi
  if [ -z "$host" ]; then
    echo "breaker gate: the deployment has no circuit breaker"
    return 0
  fi
  if [ -n "$site" ] && key=$(az functionapp function keys list -g "$rg" -n "$site" --function-name breakerStatus --query '"status-readers" || default' -o tsv 2>"$errfile"); then
    [ -n "$key" ] || key="${BREAKER_STATUS_KEY:-}"
  else
    err=$(cat "$errfile" 2>/dev/null || true)
    if printf '%s' "$err" | grep -qiE 'not ?found|404'; then
      echo "breaker gate: the breaker app has no package yet (breakerStatus is not indexed): nothing can be open"
      return 0
    fi
    key="${BREAKER_STATUS_KEY:-}"
  fi
  if ! body=$(curl -fsS --max-time 30 --retry "${BREAKER_GATE_RETRIES:-3}" --retry-all-errors --retry-delay "${BREAKER_GATE_RETRY_DELAY:-5}" -H "x-functions-key: $key" "${BREAKER_GATE_SCHEME:-https}://$host/api/breaker"); then
    refuse "GET https://$host/api/breaker failed; the breaker's state is unknown"
    return 1
  fi
  # The report's top-level "status" (closed, open, half-open); nothing else in it is named so.
  status=$(printf '%s' "$body" | grep -o '"status"[[:space:]]*:[[:space:]]*"[a-z-]*"' | head -n 1 | sed 's/.*"\([a-z-]*\)"$/\1/' || true)
  if [ "$status" != "closed" ]; then
    refuse "the circuit breaker is '${status:-unreadable}'; deploying now could resume ingestion without an operator. Approve or wait for the resume first"
    return 1
  fi
  echo "breaker gate: the circuit breaker is closed"
}
