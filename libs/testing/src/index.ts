export { aNhsNumber, aUpn } from './identifiers.factory.js';
