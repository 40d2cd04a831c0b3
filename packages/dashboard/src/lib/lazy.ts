import { h, type ComponentType, type VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * A page whose code loads when first shown: the charts' uPlot (half the JavaScript) is fetched only on a
 * process page, so the overview, which must draw fast, parses less. `fallback` shows meanwhile.
 */
export function lazyPage<P extends object>(
  load: () => Promise<ComponentType<P>>,
  fallback: () => VNode,
): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  return function LazyPage(props: P) {
    const [page, setPage] = useState<ComponentType<P> | undefined>(() => loaded);
    useEffect(() => {
      if (page) return;
      loading ??= load().then((c) => (loaded = c));
      void loading.then((c) => setPage(() => c));
    }, [page]);
    return page ? h(page, props) : fallback();
  };
}
