import { render } from 'preact';
import { App } from './App';
import { interceptLinks } from './lib/router';
import './styles.css';

// Read by `BENCH_DASHBOARD_TRACE=1 npm run bench dashboard`: when the script began to run.
performance.mark('nightshift:script');
interceptLinks();
render(<App />, document.getElementById('root')!);
