#!/usr/bin/env bash
# The Function App's key for API Management, handed over after the package deploy.
#
#   functionKey.sh exists <resource-group> <environment> [workload]
#       Prints true when the environment's Key Vault already holds the function-host-key
#       secret, else false. Export it as FUNCTION_KEY_SECRET_EXISTS before deploying the Bicep,
#       so that a deployment never overwrites the real key with a placeholder.
#   functionKey.sh handoff <resource-group> <function-app> <key-vault> <apim> [secret-name]
#       Reads the host's default function key (retrying while the freshly deployed host
#       starts), writes it to Key Vault when it differs, and makes APIM re-read the named value.
#
# Why not in Bicep: the keys API is served by the Functions host, which has nothing to run
# before the package is deployed (bicep/modules/apim.bicep explains). The caller needs
# Contributor on the resource group (keys, APIM) and Key Vault Secrets Officer on the vault,
# which Bicep grants to deployerPrincipalId.
set -euo pipefail

readonly SECRET_NAME_DEFAULT="function-host-key"
readonly APIM_API_VERSION="2024-05-01"
# The host starts within seconds of the package deploy on Flex Consumption; a cold first
# start with extension bundle download can take a few minutes.
readonly KEY_ATTEMPTS=${FUNCTION_KEY_ATTEMPTS:-30}
readonly KEY_RETRY_SECONDS=${FUNCTION_KEY_RETRY_SECONDS:-10}

usage() {
  sed -n '2,11p' "$0" >&2
  exit 2
}

secret_exists() {
  local group=$1 environment=$2 workload=${3:-orders}
  local vault_id
  vault_id=$(az keyvault list --resource-group "$group" \
    --query "[?tags.workload=='${workload}' && tags.environment=='${environment}'].id | [0]" -o tsv)
  if [[ -z "$vault_id" ]]; then
    echo false
    return
  fi
  # The control plane answers for the secret without reading its value (Reader is enough).
  local out
  if out=$(az resource show --ids "${vault_id}/secrets/${SECRET_NAME_DEFAULT}" --query id -o tsv 2>&1); then
    echo true
  elif grep -qi "not *found" <<<"$out"; then
    echo false
  else
    echo "$out" >&2
    return 1
  fi
}

handoff() {
  local group=$1 app=$2 vault=$3 apim=$4 secret=${5:-$SECRET_NAME_DEFAULT}
  local key="" attempt
  for ((attempt = 1; attempt <= KEY_ATTEMPTS; attempt++)); do
    key=$(az functionapp keys list --resource-group "$group" --name "$app" \
      --query functionKeys.default -o tsv 2>/dev/null || true)
    [[ -n "$key" ]] && break
    echo "function key not available yet (attempt ${attempt}/${KEY_ATTEMPTS}); the host is starting" >&2
    sleep "$KEY_RETRY_SECONDS"
  done
  if [[ -z "$key" ]]; then
    echo "the host of ${app} gave no default function key after ${KEY_ATTEMPTS} attempts" >&2
    return 1
  fi
  [[ -n "${GITHUB_ACTIONS:-}" ]] && echo "::add-mask::${key}"

  local current
  current=$(az keyvault secret show --vault-name "$vault" --name "$secret" --query value -o tsv 2>/dev/null || true)
  [[ -n "$current" && -n "${GITHUB_ACTIONS:-}" ]] && echo "::add-mask::${current}"
  if [[ "$current" == "$key" ]]; then
    echo "Key Vault already holds the current function key"
    return
  fi
  az keyvault secret set --vault-name "$vault" --name "$secret" --value "$key" \
    --content-type text/plain --output none
  # APIM re-reads Key Vault-backed named values within four hours; refreshSecret makes it
  # use the new value now (REST: API Management named values, Refresh Secret).
  local apim_id
  apim_id=$(az resource show --resource-group "$group" --name "$apim" \
    --resource-type Microsoft.ApiManagement/service --query id -o tsv)
  az rest --method post --output none \
    --url "https://management.azure.com${apim_id}/namedValues/${secret}/refreshSecret?api-version=${APIM_API_VERSION}"
  echo "function key handed to APIM through ${vault}/${secret}"
}

case "${1:-}" in
  exists)
    [[ $# -ge 3 ]] || usage
    secret_exists "$2" "$3" "${4:-}"
    ;;
  handoff)
    [[ $# -ge 5 ]] || usage
    handoff "$2" "$3" "$4" "$5" "${6:-}"
    ;;
  *) usage ;;
esac
