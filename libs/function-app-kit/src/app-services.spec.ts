import { ConfigError, parseConfig } from '@telemetry/core';
import * as z from '@telemetry/core/zod';
import { defineAppServices } from './app-services';
import { intSetting, optionalSetting } from './settings';

const schema = z.object({ BATCH: intSetting(10, 1, 100), NAME: optionalSetting(z.string().check(z.regex(/^[a-z]+$/))) });

describe('defineAppServices', () => {
  it('builds the services once, from parsed settings, and stops them once built', async () => {
    const stopped: number[] = [];
    let built = 0;
    const services = defineAppServices({
      app: 'demo',
      env: () => ({ BATCH: '5', NAME: '' }),
      create: (env, kit) => ({ settings: parseConfig(schema, env), n: ++built, logger: kit.logger }),
      stop: async (s) => void stopped.push(s.n),
    });
    await services.stop();
    expect(stopped).toEqual([]);
    expect(services.start()).toBe(services());
    expect(services().settings).toEqual({ BATCH: 5, NAME: undefined });
    expect(built).toBe(1);
    await services.stop();
    expect(stopped).toEqual([1]);
  });

  it('a bad setting fails the start, naming every bad key and no value', () => {
    const services = defineAppServices({ app: 'demo', env: () => ({ BATCH: '0', NAME: 'Secret-Value-1' }), create: (env) => parseConfig(schema, env) });
    expect(() => services.start()).toThrow(ConfigError);
    expect(() => services.start()).toThrow(/BATCH: .*NAME: /);
    expect(() => services.start()).not.toThrow(/Secret-Value/);
  });
});
