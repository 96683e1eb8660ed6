// The core types (status codes, errors, metadata, call options, method descriptors) appear in this
// module's API, so whoever imports the client has them too.
@_exported import RPCCore
