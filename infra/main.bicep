// Stepwise on Azure: one council's deployment in one resource group.
//
//   - user-assigned managed identity (the web app's identity for Table storage,
//     and by default also the bot's identity: MicrosoftAppType=UserAssignedMSI)
//   - Storage account (StorageV2, TLS 1.2, no public blob access) whose Table
//     service holds all of Stepwise's state; the identity gets
//     "Storage Table Data Contributor" on it, so no keys are handed out
//   - Linux App Service plan + Web App running Node 20 (bot only: no Playground,
//     no Azurite), HTTPS only, TLS 1.2, health check on /health
//   - Azure Bot (Microsoft.BotService/botServices) with the Teams channel and
//     its messaging endpoint at https://<web app host>/api/messages
//
// Deploy:   az deployment group create -g <rg> --template-file infra/main.bicep \
//             --parameters resourceBaseName=stepwise-enfield stepwiseCouncil=enfield
// Compile:  az bicep build --file infra/main.bicep   (see docs/deploy.md)
// Outputs are UPPER_SNAKE so that the Agents Toolkit's arm/deploy action writes
// them straight into env/.env.<environment> (it upper-cases output names).

targetScope = 'resourceGroup'

@minLength(4)
@maxLength(20)
@description('Prefix for every resource name, e.g. stepwise-enfield. Letters, digits and hyphens.')
param resourceBaseName string

@description('Azure region for the plan, web app, identity and storage. The bot registration itself is global.')
param location string = resourceGroup().location

@description('Web app name: its host name <name>.azurewebsites.net must be globally unique.')
param webAppName string = '${resourceBaseName}-${uniqueString(resourceGroup().id)}'

@description('Azure Bot resource name (the bot handle): globally unique, 4-42 characters.')
param botName string = '${resourceBaseName}-${uniqueString(resourceGroup().id)}'

@maxLength(42)
@description('Display name of the Azure Bot.')
param botDisplayName string = 'Stepwise'

@allowed([
  'UserAssignedMSI'
  'SingleTenant'
  'MultiTenant'
])
@description('Bot identity. UserAssignedMSI (default) needs no secret. SingleTenant/MultiTenant use an existing Entra app registration (botAppId + botAppPassword); Azure no longer creates new MultiTenant bots, so use it only for an existing registration.')
param microsoftAppType string = 'UserAssignedMSI'

@description('Entra app (client) id of the bot for SingleTenant/MultiTenant. Ignored for UserAssignedMSI.')
param botAppId string = ''

@secure()
@description('Client secret of the bot app registration for SingleTenant/MultiTenant. Ignored (and never stored) for UserAssignedMSI.')
param botAppPassword string = ''

@description('Tenant of the bot app registration (SingleTenant). Defaults to this deployment\'s tenant.')
param botAppTenantId string = tenant().tenantId

@description('Default council for new users and teams (e.g. enfield). Empty: none.')
param stepwiseCouncil string = ''

@allowed([
  'error'
  'warn'
  'info'
  'debug'
])
param logLevel string = 'info'

@description('App Service plan SKU. B1 is the smallest that supports Always On and health checks well.')
param appServicePlanSku string = 'B1'

@allowed([
  'F0'
  'S1'
])
@description('Azure Bot SKU. F0 is free; Teams is a standard channel, so S1 is only needed for premium channels.')
param botSku string = 'F0'

@description('Command that starts the bot in production. Must not start the Agents Playground or Azurite.')
param startupCommand string = 'node dist/bot/index.js'

@description('Storage account SKU.')
param storageSku string = 'Standard_LRS'

@description('Fallback only: also give the bot STORAGE_CONNECTION_STRING (account key) and leave shared-key access on. Off by default: the bot reaches Table storage through its managed identity (STORAGE_ACCOUNT_URL).')
param useStorageConnectionString bool = false

var usesManagedIdentityForBot = microsoftAppType == 'UserAssignedMSI'
var storageAccountName = take(toLower(replace('st${resourceBaseName}${uniqueString(resourceGroup().id)}', '-', '')), 24)
// Built-in role "Storage Table Data Contributor".
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-identity'
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: storageSku
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // By default access is by managed identity (Entra ID) only: account keys are off.
    allowSharedKeyAccess: useStorageConnectionString
    defaultToOAuthAuthentication: true
    // The web app reaches the account over the public endpoint (no VNet integration);
    // every request still needs an Entra token with the role assigned below.
    publicNetworkAccess: 'Enabled'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageTableDataContributorRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributorRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: appServicePlanSku
  }
  properties: {
    reserved: true // Linux
  }
}

// App settings the bot reads (docs/deploy.md lists them all).
var botSettings = usesManagedIdentityForBot ? [
  {
    name: 'MicrosoftAppType'
    value: 'UserAssignedMSI'
  }
  {
    name: 'MicrosoftAppId'
    value: identity.properties.clientId
  }
  {
    name: 'MicrosoftAppTenantId'
    value: identity.properties.tenantId
  }
] : [
  {
    name: 'MicrosoftAppType'
    value: microsoftAppType
  }
  {
    name: 'MicrosoftAppId'
    value: botAppId
  }
  {
    name: 'MicrosoftAppTenantId'
    value: microsoftAppType == 'SingleTenant' ? botAppTenantId : ''
  }
  {
    // Only for the secret-based types. For production, consider a Key Vault
    // reference (@Microsoft.KeyVault(...)) instead of the plain value.
    name: 'MicrosoftAppPassword'
    value: botAppPassword
  }
]

var councilSettings = empty(stepwiseCouncil) ? [] : [
  {
    name: 'STEPWISE_COUNCIL'
    value: stepwiseCouncil
  }
]

// Exactly one of the two storage settings: the bot refuses to start with both.
var storageSettings = useStorageConnectionString ? [
  {
    name: 'STORAGE_CONNECTION_STRING'
    value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
  }
] : [
  {
    // Table storage through the managed identity: no connection string, no key.
    name: 'STORAGE_ACCOUNT_URL'
    value: storage.properties.primaryEndpoints.table
  }
]

var commonSettings = [
  {
    // Lets DefaultAzureCredential / ManagedIdentityCredential pick the user-assigned identity.
    name: 'AZURE_CLIENT_ID'
    value: identity.properties.clientId
  }
  {
    // Never start the local Agents Playground (or Azurite) in Azure.
    name: 'PLAYGROUND'
    value: '0'
  }
  {
    name: 'NODE_ENV'
    value: 'production'
  }
  {
    name: 'LOG_LEVEL'
    value: logLevel
  }
  {
    name: 'WEBSITE_NODE_DEFAULT_VERSION'
    value: '~20'
  }
  {
    // Zip deploy (Agents Toolkit azureAppService/zipDeploy or az webapp deploy)
    // runs `npm install` on the server; NODE_ENV=production skips devDependencies.
    // Oryx then runs the `build:azure` script (a no-op: dist/ is compiled before
    // the upload by `npm run build`), not `build`, which needs TypeScript.
    name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
    value: 'true'
  }
]

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: startupCommand
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/health'
      appSettings: concat(botSettings, councilSettings, commonSettings, storageSettings)
    }
  }
  dependsOn: [
    // The bot must be able to reach its tables as soon as it starts.
    tableDataContributor
  ]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: usesManagedIdentityForBot ? identity.properties.clientId : botAppId
    msaAppType: microsoftAppType
    msaAppTenantId: usesManagedIdentityForBot ? identity.properties.tenantId : (microsoftAppType == 'SingleTenant' ? botAppTenantId : null)
    msaAppMSIResourceId: usesManagedIdentityForBot ? identity.id : null
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// The bot's messaging endpoint, e.g. https://stepwise-enfield-abc123.azurewebsites.net/api/messages
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}/api/messages'
// The web app's host name: goes into the Teams manifest's validDomains as BOT_DOMAIN.
output BOT_DOMAIN string = webApp.properties.defaultHostName
// Table service endpoint, e.g. https://ststepwise....table.core.windows.net/
output STORAGE_TABLE_ENDPOINT string = storage.properties.primaryEndpoints.table
// The bot's app id (MicrosoftAppId) and tenant, for the Teams manifest and the app settings.
output BOT_ID string = usesManagedIdentityForBot ? identity.properties.clientId : botAppId
output BOT_TENANT_ID string = usesManagedIdentityForBot ? identity.properties.tenantId : botAppTenantId
// Used by the Agents Toolkit's azureAppService/zipDeploy action.
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output MANAGED_IDENTITY_CLIENT_ID string = identity.properties.clientId
