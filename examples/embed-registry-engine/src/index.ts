export { publish } from './publish.js';
