import path from 'node:path';
import { dataLossAlertFires, defaultDataLossMarginHours } from '@telemetry/azure-event-hubs';
import { METRIC_CATALOGUE } from '@telemetry/observability';
import { isRecord, evaluate, fileScope, UNKNOWN, type Value } from './bicep-literal';
import { propertyValue, readBicepFile, type BicepFile } from './bicep-file';
import { INFRA_ROOT } from './infra-files';

/**
 * Issue 19 part 2: the Azure Monitor rule for time to data loss, read from the Bicep itself and
 * evaluated for each retention the hub allows, is the condition the status app's reporter is
 * tested against (libs/azure-event-hubs dataLossAlertFires, used by
 * apps/device-status/src/functions/reportHubLag.spec.ts on the figures it records with the hub
 * paused and events arriving). And the retention the rule counts down from is the one the status
 * app is given (EVENT_HUB_RETENTION_HOURS) and the hub is created with.
 */
describe('time-to-data-loss alert (infra/modules/alerts.bicep) against the emitted metric', () => {
  let alerts: BicepFile;
  let main: BicepFile;
  let deviceStatus: BicepFile;
  beforeAll(async () => {
    const read = (f: string) => readBicepFile(path.join(INFRA_ROOT, f));
    [alerts, main, deviceStatus] = await Promise.all([read('modules/alerts.bicep'), read('main.bicep'), read('apps/device-status.bicep')]);
  });

  const paramDefault = (file: BicepFile, name: string, params: Record<string, Value>): Value => {
    const node = file.params.get(name)!.node;
    return evaluate(node.namedChildren.at(-1)!, fileScope(file, params));
  };
  /** The rule's single criterion, evaluated with the module's parameters for this retention. */
  const criterion = (retentionHours: number): Record<string, Value> => {
    const margin = paramDefault(alerts, 'dataLossMarginHours', { eventHubRetentionHours: retentionHours });
    const rule = alerts.resources.get('timeToDataLoss')!;
    const criteria = evaluate(propertyValue(propertyValue(rule.body!, 'properties')!, 'criteria')!, fileScope(alerts, { eventHubRetentionHours: retentionHours, dataLossMarginHours: margin }));
    const only = isRecord(criteria) && Array.isArray(criteria['allOf']) && criteria['allOf'].length === 1 ? criteria['allOf'][0] : undefined;
    if (only === undefined || !isRecord(only)) throw new Error('timeToDataLoss: expected one criterion');
    return only;
  };
  /** What Azure Monitor does with a static threshold criterion over one window of metric values. */
  const ruleFires = (c: Record<string, Value>, values: number[]): boolean => {
    const aggregate = c['timeAggregation'] === 'Minimum' ? Math.min(...values) : c['timeAggregation'] === 'Maximum' ? Math.max(...values) : NaN;
    const threshold = c['threshold'] as number;
    return c['operator'] === 'LessThan' ? aggregate < threshold : c['operator'] === 'LessThanOrEqual' ? aggregate <= threshold : false;
  };

  it('watches the metric the status app records, per partition, at its minimum, below the margin', () => {
    const c = criterion(24);
    expect(c).toMatchObject({ metricName: 'eventhubs.time_to_data_loss', metricNamespace: 'azure.applicationinsights', operator: 'LessThan', timeAggregation: 'Minimum', threshold: 12 * 3600 });
    expect(Object.keys(METRIC_CATALOGUE)).toContain(c['metricName']);
  });

  it.each([1, 2, 3, 7].map((days) => days * 24))('retention %i h: the margin defaults to min(retention / 2, 12 h), and the rule fires exactly when dataLossAlertFires does', (retentionHours) => {
    const c = criterion(retentionHours);
    const margin = defaultDataLossMarginHours(retentionHours);
    expect(c['threshold']).toBe(margin * 3600);
    // A paused ingestion: each minute the oldest unprocessed event is a minute older, so the recorded
    // time to data loss falls; two partitions, the rule takes the minimum over the window.
    const retention = retentionHours * 3600;
    for (const ageHours of [0, 1, retentionHours / 2 - 1, retentionHours - margin - 0.5, retentionHours - margin + 0.01, retentionHours - 0.1]) {
      const window = [0, 5, 10].flatMap((minute) => [retention - (ageHours * 3600 + minute * 60), retention - ageHours * 3600]);
      const lowest = Math.min(...window);
      expect({ ageHours, fires: ruleFires(c, window) }).toEqual({ ageHours, fires: dataLossAlertFires({ minTimeToDataLossSeconds: lowest }, margin) });
    }
    expect(ruleFires(c, [retention - (retentionHours - margin + 0.01) * 3600])).toBe(true);
    expect(ruleFires(c, [retention - 3600])).toBe(false);
  });

  it('main.bicep gives the hub, the alert and the status app one retention, and the same default margin', () => {
    for (const days of [1, 2, 3, 4, 5, 6, 7]) {
      const margin = paramDefault(main, 'dataLossMarginHours', { eventHubRetentionDays: days });
      expect({ days, margin }).toEqual({ days, margin: defaultDataLossMarginHours(days * 24) });
      const scope = fileScope(main, { eventHubRetentionDays: days, dataLossMarginHours: margin as number });
      const alertsArgs = evaluate(propertyValue(main.modules.get('alerts')!.body!, 'params')!, scope);
      const hubArgs = evaluate(propertyValue(main.modules.get('eventHubs')!.body!, 'params')!, scope);
      const shared = scope('shared');
      expect(isRecord(alertsArgs) && alertsArgs['eventHubRetentionHours']).toBe(days * 24);
      expect(isRecord(alertsArgs) && alertsArgs['dataLossMarginHours']).toBe(margin);
      expect(isRecord(hubArgs) && hubArgs['messageRetentionInDays']).toBe(days);
      const eventHubs = isRecord(shared) ? (shared['eventHubs'] ?? UNKNOWN) : UNKNOWN;
      expect(isRecord(eventHubs) && eventHubs['retentionHours']).toBe(days * 24);
    }
    // The status app computes time to data loss from that value.
    const settings = deviceStatus.variables.get('appSettings')!;
    const value = evaluate(settings.namedChildren.at(-1)!, fileScope(deviceStatus, { shared: { eventHubs: { retentionHours: 72 } } as Value }));
    expect(isRecord(value) && value['EVENT_HUB_RETENTION_HOURS']).toBe('72');
  });
});
