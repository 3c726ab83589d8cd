export { parseConfig } from './parse-config.js';
export type { ParseConfigOptions } from './parse-config.js';
export { configPath, loadConfig } from './load-config.js';
export type { LoadConfigOptions } from './load-config.js';
export { parseDuration } from './duration.js';
export { ConfigError, isConfigError } from './errors.js';
export type { ConfigErrorInit } from './errors.js';
export type {
  AuthConfig,
  ClientAuth,
  CompatibilityConfig,
  DebugConfig,
  FileHealthCheck,
  HealthConfig,
  HttpConfig,
  HttpHealthCheck,
  LadingConfig,
  TokenServiceConfig,
  ProjectsConfig,
  LadingNotificationsConfig,
  LetsEncryptConfig,
  LoadedConfig,
  LogConfig,
  LogFormatter,
  LogLevel,
  MaintenanceConfig,
  MinimumTls,
  NotificationEndpointConfig,
  NotificationsConfig,
  RegistryConfig,
  StorageCacheConfig,
  StorageConfig,
  StorageDriverConfig,
  TcpHealthCheck,
  TlsConfig,
  TokenAuthConfig,
  ValidationConfig,
} from './registry-config.js';
export { defaultMaxSpoolBytes, defaultSpoolDirectory } from './sections/other-sections.js';
