import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { parseIfNoneMatch, type DeviceReader } from '@telemetry/device-queries';
import { badRequest, json, storeFailure } from '../http-responses';
import { deviceStatusServices } from '../services';

export const GET_DEVICE_FUNCTION = 'getDevice';
const DEVICE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** GET /api/devices/{deviceId}: the device's state with its ETag; 304 for a current If-None-Match. */
export function createGetDeviceHandler(devices: () => DeviceReader) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const deviceId = request.params['deviceId'] ?? '';
    if (!DEVICE_ID.test(deviceId)) return badRequest(['deviceId must be 1-64 chars of [A-Za-z0-9._:-]']);
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
