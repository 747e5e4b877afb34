import { AzureMonitorMetricExporter } from '@azure/monitor-opentelemetry-exporter';
import { InstrumentType } from '@opentelemetry/sdk-metrics';
import { DeferredAzureMonitorExporter } from './azure-monitor';

describe('DeferredAzureMonitorExporter', () => {
  const options = { connectionString: 'InstrumentationKey=00000000-0000-0000-0000-0000000000a1;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/' };

  // The reader asks for temporalities before the first export builds the real exporter: the
  // stand-in must give the same answers, or Application Insights would get cumulative sums as deltas.
  it('selects the aggregation temporality AzureMonitorMetricExporter selects, for every instrument type', async () => {
    const real = new AzureMonitorMetricExporter(options);
    const deferred = new DeferredAzureMonitorExporter(options);
    try {
      for (const type of Object.values(InstrumentType)) {
        expect({ type, temporality: deferred.selectAggregationTemporality(type) }).toEqual({ type, temporality: real.selectAggregationTemporality(type) });
      }
      // Neither chooses aggregations: the SDK's defaults apply to both.
      expect([(deferred as { selectAggregation?: unknown }).selectAggregation, (real as { selectAggregation?: unknown }).selectAggregation]).toEqual([undefined, undefined]);
    } finally {
      await real.shutdown();
      await deferred.shutdown();
    }
  });
});
