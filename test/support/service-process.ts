export { freePort, ServiceProcess, type ServiceName } from '@jigsaw/testing';
