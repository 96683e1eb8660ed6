// The core types (status codes, errors, metadata, method descriptors) appear in this module's
// API, so whoever imports the server runtime has them too.
@_exported import RPCCore
