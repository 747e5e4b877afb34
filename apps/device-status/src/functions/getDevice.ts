import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { parseIfNoneMatch, type DeviceReader } from '@telemetry/device-queries';
import { IOT_HUB_DEVICE_ID_PATTERN, IOT_HUB_DEVICE_ID_RULE } from '@telemetry/device-state';
import { badRequest, json, storeFailure } from '../http-responses';
import { deviceStatusServices } from '../services';

export const GET_DEVICE_FUNCTION = 'getDevice';

/**
 * GET /api/devices/{deviceId}: the device's state with its ETag; 304 for a current If-None-Match.
 * `deviceId` is the original id (percent-encoded in the URL where needed, e.g. `a%3Fb` for `a?b`):
 * every id IoT Hub allows, which includes every body-mode id; the store maps it to its document.
 */
export function createGetDeviceHandler(devices: () => DeviceReader) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const deviceId = request.params['deviceId'] ?? '';
    if (!IOT_HUB_DEVICE_ID_PATTERN.test(deviceId)) return badRequest([IOT_HUB_DEVICE_ID_RULE]);
    try {
      const result = await devices().get(deviceId, parseIfNoneMatch(request.headers.get('if-none-match')));
      if (result.kind === 'not-found') return json(404, { error: 'NOT_FOUND', message: `no device ${deviceId}` });
      if (result.kind === 'not-modified') return { status: 304, headers: { etag: result.etag, 'cache-control': 'no-cache' } };
      return json(200, result.device, { etag: result.etag });
    } catch (error) {
      context.warn('device read failed', { deviceId });
      return storeFailure(error);
    }
  };
}

app.http(GET_DEVICE_FUNCTION, {
  methods: ['GET'],
  authLevel: 'function',
  route: 'devices/{deviceId}',
  handler: createGetDeviceHandler(() => deviceStatusServices().devices),
});
