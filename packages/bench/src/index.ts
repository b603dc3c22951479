export * from './figures';
export * from './report';
export * from './stats';
export * from './http-load';
