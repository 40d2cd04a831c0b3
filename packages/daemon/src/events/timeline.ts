import * as store from '../store/index.js';

/** The app timeline as the API reads it: entries newest first, or those after an id (for live streams). */
export interface Timeline {
  list(filter: { app?: string; afterId?: number; limit: number }): store.EventRow[];
}

export function timelineOf(db: store.Db): Timeline {
  return { list: (filter) => store.listEvents(db, filter) };
}
