export { freePort, ServiceProcess, startServices, type ServiceName } from '@jigsaw/testing';
