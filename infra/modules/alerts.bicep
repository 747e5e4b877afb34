// Alerts: dead-letter depth, breaker opened, and "input but no output" on the hub (events
// arrive, none are read: the seed's signal that processing stopped). One action group.
// Metric names come from libs/observability (METRIC_CATALOGUE): extend, never rename.
// Docs: https://learn.microsoft.com/azure/templates/microsoft.insights/2023-01-01/actiongroups
//       https://learn.microsoft.com/azure/templates/microsoft.insights/2018-03-01/metricalerts
//       https://learn.microsoft.com/azure/templates/microsoft.insights/2023-12-01/scheduledqueryrules
//       https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-eventhub-namespaces-metrics
//       https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-storage-storageaccounts-queueservices-metrics
param location string
param tags object
param resourceToken string
param eventHubsNamespaceId string
param eventHubName string
param dataStorageId string
param appInsightsId string
@description('Where alerts are e-mailed; empty = alerts fire without a receiver (portal only).')
param alertEmail string = ''
@description('Messages across the data account\'s queues (dead letters, the -poison and -poison-poison queues) that raise an alert.')
param deadLetterDepthThreshold int = 100
@description('The hub\'s retention in hours (event-hubs.bicep messageRetentionInDays x 24): what "time to data loss" counts down from.')
@minValue(1)
param eventHubRetentionHours int = 24
// Issue 19: half the retention or 12 hours, whichever is smaller (integer hours; 1 h at least).
@description('Alert when the time to data loss (retention - age of the oldest unprocessed event) of any partition drops below this many hours.')
@minValue(1)
param dataLossMarginHours int = max(1, min(eventHubRetentionHours / 2, 12))

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-telemetry-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'telemetry'
    enabled: true
    emailReceivers: empty(alertEmail) ? [] : [
      {
        name: 'operators'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

// QueueMessageCount is a capacity metric (about hourly) over every queue in the account: the
// data account holds only the dead-letter queue, its -poison queue and that one's -poison queue.
resource deadLetterDepth 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-deadletter-depth-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    description: 'Dead letters are piling up: the reprocessor is not keeping up, or letters cannot be fixed.'
    severity: 2
    enabled: true
    scopes: ['${dataStorageId}/queueServices/default']
    evaluationFrequency: 'PT1H'
    windowSize: 'PT1H'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'depth'
          metricNamespace: 'Microsoft.Storage/storageAccounts/queueServices'
          metricName: 'QueueMessageCount'
          operator: 'GreaterThan'
          threshold: deadLetterDepthThreshold
          timeAggregation: 'Average'
        }
      ]
    }
    actions: [{ actionGroupId: actionGroup.id }]
  }
}

// Both criteria must hold (allOf): messages came in and none went out for 15 minutes.
resource inputNoOutput 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-input-no-output-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    description: 'Events arrive on the telemetry hub but nothing reads them: ingestion is stopped, failing or the breaker is open.'
    severity: 1
    enabled: true
    scopes: [eventHubsNamespaceId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'input'
          metricNamespace: 'Microsoft.EventHub/namespaces'
          metricName: 'IncomingMessages'
          dimensions: [{ name: 'EntityName', operator: 'Include', values: [eventHubName] }]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Total'
        }
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'noOutput'
          metricNamespace: 'Microsoft.EventHub/namespaces'
          metricName: 'OutgoingMessages'
          dimensions: [{ name: 'EntityName', operator: 'Include', values: [eventHubName] }]
          operator: 'LessThan'
          threshold: 1
          timeAggregation: 'Total'
        }
      ]
    }
    actions: [{ actionGroupId: actionGroup.id }]
  }
}

// breaker.state.changes{to} is exported by libs/observability to customMetrics.
resource breakerOpen 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-breaker-open-${resourceToken}'
  location: location
  tags: tags
  properties: {
    displayName: 'Circuit breaker opened (ingestion paused)'
    description: 'The breaker stopped ingestion after too many failures. Events wait in Event Hubs (retention!) until it closes.'
    severity: 1
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: 'customMetrics | where name == "breaker.state.changes" and tostring(customDimensions["to"]) == "open" | summarize opened = sum(valueSum)'
          metricMeasureColumn: 'opened'
          timeAggregation: 'Total'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [actionGroup.id]
    }
  }
}

// Issue 19: eventhubs.time_to_data_loss (seconds, per partition) is recorded every minute by the
// status API app's lag reporter (device-status reportHubLag), which runs while ingestion is paused. A pre-aggregated custom metric
// in Application Insights (namespace azure.applicationinsights); Minimum = the partition closest to
// losing events. skipMetricValidation: the metric does not exist until first emitted.
// Docs: https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-metric-create-templates
resource timeToDataLoss 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-time-to-data-loss-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    description: 'Unprocessed events will expire from Event Hubs (retention ${eventHubRetentionHours} h) in less than ${dataLossMarginHours} h: resume ingestion or replay before they are lost.'
    severity: 0
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'timeToDataLoss'
          metricNamespace: 'azure.applicationinsights'
          metricName: 'eventhubs.time_to_data_loss'
          operator: 'LessThan'
          threshold: dataLossMarginHours * 3600
          timeAggregation: 'Minimum'
          skipMetricValidation: true
        }
      ]
    }
    actions: [{ actionGroupId: actionGroup.id }]
  }
}

output actionGroupId string = actionGroup.id
