import { describe, expect, it } from 'vitest';
import { autoscalerForgetsDestroyedApps } from '../../src/autoscale/index.js';
import { EventBus } from '../../src/events/index.js';

describe('the autoscaler follows destroyed apps', () => {
  it('forgets an app once it is destroyed, and nothing on other events or after unsubscribing', () => {
    const bus = new EventBus(
      () => 0,
      (err) => {
        throw err;
      },
    );
    const forgotten: string[] = [];
    const unsubscribe = autoscalerForgetsDestroyedApps(bus, { forgetApp: (app) => forgotten.push(app) });
    bus.emit({ type: 'deploy:finished', app: 'shop', message: '', data: { release: 'v2', previous: 'v1' } });
    bus.emit({ type: 'app:destroyed', app: 'shop', message: 'shop destroyed', data: {} });
    expect(forgotten).toEqual(['shop']);
    unsubscribe();
    bus.emit({ type: 'app:destroyed', app: 'blog', message: 'blog destroyed', data: {} });
    expect(forgotten).toEqual(['shop']);
  });
});
