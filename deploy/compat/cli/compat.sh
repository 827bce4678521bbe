#!/usr/bin/env bash
# The unmodified Azure CLI against Moat: the source document's steps, as its readers type them.
#
# Reads MOAT_URL (the bare host, https://localhost:PORT), MOAT_TENANT_ID, MOAT_ADMIN_CLIENT_ID,
# MOAT_ADMIN_CLIENT_SECRET, MOAT_ADMIN_OBJECT_ID, MOAT_VAULT (a new vault's name), MOAT_CA (the stack's CA) and
# AZURE_CONFIG_DIR (an empty directory: the CLI's own state). Each data-plane probe is a curl with a token from
# `az account get-access-token`; the stack trusts loopback as a proxy, so X-Forwarded-For plays the client's address.
# Prints one line "STEP ok <name>" per step that passed; exits 1 at the first that fails.
set -uo pipefail

RG=compat-rg NET=compat-net SUBNET=apps
ALLOWED_IP=203.0.113.9 DENIED_IP=198.51.100.7 SUBNET_IP=10.20.1.5

step() {
  local name="$1"; shift
  if out="$("$@" 2>&1)"; then
    echo "STEP ok $name"
  else
    echo "STEP FAILED $name"
    echo "$out"
    exit 1
  fi
}

# asserts that a JMESPath query of an az command's output prints the expected text (ignoring case, as ARM ids do)
expect() {
  local expected="$1"; shift
  local got
  got="$("$@" -o tsv 2>&1)" || { echo "$got"; return 1; }
  [[ "${got,,}" == "${expected,,}" ]] || { echo "expected '$expected', got '$got' from: $*"; return 1; }
}

# the HTTP status and firewall verdict of a data-plane read from an origin: "403 ForbiddenByFirewall" or the status
probe() {
  local ip="$1" token body status
  token="$(az account get-access-token --resource "$DATA_RESOURCE" --query accessToken -o tsv)" || return 1
  body="$(curl -s --cacert "$MOAT_CA" -w '\n%{http_code}' -H "Authorization: Bearer $token" \
    -H "X-Forwarded-For: $ip" "$VAULT_URL/secrets/probe?api-version=7.5")" || return 1
  status="${body##*$'\n'}"
  if [[ "$status" == 403 && "$body" == *ForbiddenByFirewall* && "$body" == *"Client address: $ip"* ]]; then
    echo "403 ForbiddenByFirewall"
  else
    echo "$status"
  fi
}

expect_probe() {
  local ip="$1" expected="$2" got
  got="$(probe "$ip")" || return 1
  [[ "$got" == "$expected" ]] || { echo "origin $ip: expected '$expected', got '$got'"; return 1; }
}

export REQUESTS_CA_BUNDLE="$MOAT_CA"
PORT="${MOAT_URL##*:}"
DATA_RESOURCE="https://vault.localhost:$PORT"
VAULT_URL="https://$MOAT_VAULT.vault.localhost:$PORT"

# 1. the cloud and the sign-in. The CLI reads the sign-in authority and audience from ARM's metadata
#    (a trailing '/' on the resource manager, as users often type it, makes that '//metadata/endpoints'); CLI 2.45
#    reads no suffixes there and has no flag for the Graph resource id that `az keyvault create` needs set (though
#    with --no-self-perms it never calls Graph), hence a cloud config.
step cloud.register az cloud register -n Moat --cloud-config "{\"endpoints\":{\"resourceManager\":\"$MOAT_URL/\",
  \"microsoftGraphResourceId\":\"https://graph.localhost/\"},\"suffixes\":{\"keyvaultDns\":\".vault.localhost:$PORT\"}}"
step cloud.set az cloud set -n Moat
step login az login --service-principal -u "$MOAT_ADMIN_CLIENT_ID" -p "$MOAT_ADMIN_CLIENT_SECRET" \
  --tenant "$MOAT_TENANT_ID"
SUBSCRIPTION="$(az account show --query id -o tsv)"

# 2. a resource group, a vault and a virtual network with a subnet, both taking the group's location
step group.create az group create -n "$RG" -l local
step keyvault.create az keyvault create -g "$RG" -n "$MOAT_VAULT" --no-self-perms
step keyvault.location expect local az keyvault show -g "$RG" -n "$MOAT_VAULT" --query location
# Debian's azure-cli 2.45 cannot load any `az network` command (its python3-azure lacks the network models of
# api-version 2022-01-01 that the CLI's profile names: "'NoneType' object has no attribute 'standard_medium'", before
# any request), so the network steps use the CLI's generic `az resource`, which sends the same ARM requests:
# `az network vnet create` is a PUT of the network, `az network vnet subnet update --service-endpoints` a GET and a
# PUT of the subnet.
NET_API=2022-07-01
SUBNET_ID="/subscriptions/$SUBSCRIPTION/resourceGroups/$RG/providers/Microsoft.Network/virtualNetworks/$NET/subnets/$SUBNET"
step vnet.create az resource create -g "$RG" -n "$NET" --resource-type Microsoft.Network/virtualNetworks \
  --api-version $NET_API --properties \
  '{"addressSpace":{"addressPrefixes":["10.20.0.0/16"]},"subnets":[{"name":"apps","properties":{"addressPrefix":"10.20.1.0/24"}}]}'
step vnet.location expect local az resource show --ids "${SUBNET_ID%/subnets/*}" --api-version $NET_API \
  --query location

# 3. the source document's steps: the service endpoint, the rules, deny by default
step subnet.service-endpoint az resource update --ids "$SUBNET_ID" --api-version $NET_API \
  --set 'properties.serviceEndpoints=[{"service":"Microsoft.KeyVault"}]'
step subnet.shows-endpoint expect Microsoft.KeyVault az resource show --ids "$SUBNET_ID" --api-version $NET_API \
  --query 'properties.serviceEndpoints[].service'
step access-policy az keyvault set-policy -n "$MOAT_VAULT" --object-id "$MOAT_ADMIN_OBJECT_ID" \
  --secret-permissions get list set delete --key-permissions get create sign
step access-policy.shows expect "$MOAT_ADMIN_OBJECT_ID" az keyvault show -n "$MOAT_VAULT" \
  --query "properties.accessPolicies[?objectId=='$MOAT_ADMIN_OBJECT_ID'].objectId"
step network-rule.add-subnet az keyvault network-rule add -g "$RG" -n "$MOAT_VAULT" --subnet "$SUBNET_ID"
step network-rule.add-ip az keyvault network-rule add -g "$RG" -n "$MOAT_VAULT" --ip-address 203.0.113.0/24
step firewall.allows-before-deny expect_probe "$DENIED_IP" 404
step update.default-action az keyvault update -g "$RG" -n "$MOAT_VAULT" --default-action Deny --bypass AzureServices
step update.shows expect $'AzureServices\nDeny' az keyvault show -n "$MOAT_VAULT" \
  --query '[properties.networkAcls.bypass, properties.networkAcls.defaultAction]'
step network-rule.list-ip expect 203.0.113.0/24 az keyvault network-rule list -g "$RG" -n "$MOAT_VAULT" \
  --query 'ipRules[].value'
step network-rule.list-subnet expect "$SUBNET_ID" az keyvault network-rule list -g "$RG" -n "$MOAT_VAULT" \
  --query 'virtualNetworkRules[].id'

# 4. the firewall enforces what ARM shows, at once
step firewall.denies-other-origin expect_probe "$DENIED_IP" "403 ForbiddenByFirewall"
step firewall.admits-ip-rule expect_probe "$ALLOWED_IP" 404
step firewall.admits-subnet expect_probe "$SUBNET_IP" 404
step network-rule.remove-ip az keyvault network-rule remove -g "$RG" -n "$MOAT_VAULT" --ip-address 203.0.113.0/24
step network-rule.list-after-remove expect 0 az keyvault network-rule list -g "$RG" -n "$MOAT_VAULT" \
  --query 'length(ipRules)'
step firewall.denies-removed-ip expect_probe "$ALLOWED_IP" "403 ForbiddenByFirewall"
step subnet.endpoint-off az resource update --ids "$SUBNET_ID" --api-version $NET_API \
  --set 'properties.serviceEndpoints=[]'
step firewall.denies-subnet-without-endpoint expect_probe "$SUBNET_IP" "403 ForbiddenByFirewall"
step network-rule.remove-subnet az keyvault network-rule remove -g "$RG" -n "$MOAT_VAULT" --subnet "$SUBNET_ID"
step network-rule.none-left expect $'0\n0' az keyvault network-rule list -g "$RG" -n "$MOAT_VAULT" \
  --query '[length(ipRules), length(virtualNetworkRules)]'
step update.allow az keyvault update -g "$RG" -n "$MOAT_VAULT" --default-action Allow
step firewall.allows-again expect_probe "$DENIED_IP" 404
step keyvault.list expect "$MOAT_VAULT" az keyvault list --query "[?name=='$MOAT_VAULT'].name"
