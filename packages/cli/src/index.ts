export { main, buildProgram } from './main.js';
export { cliReferenceMarkdown, commandPaths } from './reference.js';
export { examples } from './examples.js';
