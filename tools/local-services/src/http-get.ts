import http from 'node:http';

/**
 * A GET through node:http, for the headers fetch() will not let a caller set (Host, Origin,
 * Content-Length on a GET): how a rebinding page, another site or a hostile client would ask.
 */
export function httpGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'GET', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
