// Azure Monitor workbook: the pipeline at a glance (hub in/out, batch sizes, applied vs
// dead-lettered by code, store retries/throttles, breaker transitions, reprocessor outcomes).
// Docs: https://learn.microsoft.com/azure/templates/microsoft.insights/2023-06-01/workbooks
//       https://learn.microsoft.com/azure/azure-monitor/visualize/workbooks-automate
param location string
param tags object
param resourceToken string
param appInsightsId string
param eventHubsNamespaceId string

var query = {
  applied: 'customMetrics | where name in ("telemetry.events.applied", "telemetry.events.deadlettered") | summarize events = sum(valueSum) by name, bin(timestamp, 5m) | render timechart'
  deadLettered: 'customMetrics | where name == "telemetry.events.deadlettered" | summarize events = sum(valueSum) by code = tostring(customDimensions["code"]) | order by events desc'
  batch: 'customMetrics | where name == "telemetry.batch.size" | summarize batches = sum(valueCount), avgSize = sum(valueSum) / sum(valueCount), maxSize = max(valueMax) by bin(timestamp, 5m) | render timechart'
  store: 'customMetrics | where name in ("telemetry.store.retries", "telemetry.store.throttles") | summarize n = sum(valueSum) by name, bin(timestamp, 5m) | render timechart'
  breaker: 'customMetrics | where name == "breaker.state.changes" | project timestamp, to = tostring(customDimensions["to"]), cloud_RoleName | order by timestamp desc'
  reprocessor: 'customMetrics | where name == "reprocessor.outcomes" | summarize n = sum(valueSum) by outcome = tostring(customDimensions["outcome"]), code = tostring(customDimensions["code"]) | order by n desc'
}

func logItem(title string, q string) object => {
  type: 3
  content: {
    version: 'KqlItem/1.0'
    title: title
    query: q
    size: 0
    timeContext: { durationMs: 86400000 }
    queryType: 0
    resourceType: 'microsoft.insights/components'
  }
}

var workbookContent = {
  version: 'Notebook/1.0'
  items: [
    {
      type: 1
      content: { json: '## Device telemetry pipeline\nEvents in and out of the hub, what ingestion applied or dead-lettered, store pressure, breaker and reprocessor.' }
    }
    {
      type: 10
      content: {
        chartId: 'hub-in-out'
        version: 'MetricsItem/2.0'
        size: 0
        chartType: 2
        resourceType: 'microsoft.eventhub/namespaces'
        metricScope: 0
        resourceIds: [eventHubsNamespaceId]
        timeContext: { durationMs: 86400000 }
        metrics: [
          { namespace: 'microsoft.eventhub/namespaces', metric: 'microsoft.eventhub/namespaces--IncomingMessages', aggregation: 1 }
          { namespace: 'microsoft.eventhub/namespaces', metric: 'microsoft.eventhub/namespaces--OutgoingMessages', aggregation: 1 }
          { namespace: 'microsoft.eventhub/namespaces', metric: 'microsoft.eventhub/namespaces--ThrottledRequests', aggregation: 1 }
        ]
        title: 'Event Hubs: in, out, throttled'
      }
    }
    logItem('Applied vs dead-lettered', query.applied)
    logItem('Dead letters by code', query.deadLettered)
    logItem('Batch size', query.batch)
    logItem('Store retries and throttles', query.store)
    logItem('Breaker transitions', query.breaker)
    logItem('Reprocessor outcomes', query.reprocessor)
  ]
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, 'telemetry-workbook', resourceToken)
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Device telemetry pipeline (${resourceToken})'
    category: 'workbook'
    sourceId: appInsightsId
    serializedData: string(workbookContent)
    version: 'Notebook/1.0'
  }
}
