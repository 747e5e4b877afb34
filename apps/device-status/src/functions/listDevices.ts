import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { toPipelineError } from '@telemetry/core';
import { encodeContinuation, parseDeviceListQuery, type DeviceReader } from '@telemetry/device-queries';
import { badRequest, json, storeFailure } from '../http-responses';
import { deviceStatusServices } from '../services';

export const LIST_DEVICES_FUNCTION = 'listDevices';

/**
 * GET /api/devices?updatedSince&bbox&batteryBelow&pageSize&continuation: one page of devices in
 * deviceId order; `continuation` and `nextLink` are present while more pages exist.
 */
export function createListDevicesHandler(devices: () => DeviceReader) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const url = new URL(request.url);
    const parsed = parseDeviceListQuery(url.searchParams);
    if (!parsed.ok) return badRequest(parsed.errors);
    try {
      const page = await devices().list(parsed.value);
      if (!page.continuation) return json(200, { devices: page.devices });
      const continuation = encodeContinuation(page.continuation);
      const next = new URL(url);
      next.searchParams.delete('code'); // never echo a key into a link
      next.searchParams.set('continuation', continuation);
      return json(200, { devices: page.devices, continuation, nextLink: `${next.pathname}${next.search}` });
    } catch (error) {
      // Cosmos rejects a token it did not issue (or one for another query) with 400.
      if (parsed.value.continuation && toPipelineError(error, 'store').code === 'STORE_REJECTED') {
        return badRequest(['continuation is invalid or belongs to a different query']);
      }
      context.warn('device list failed');
      return storeFailure(error);
    }
  };
}

app.http(LIST_DEVICES_FUNCTION, {
  methods: ['GET'],
  authLevel: 'function',
  route: 'devices',
  handler: createListDevicesHandler(() => deviceStatusServices().devices),
});
