// The messages this client sends and reads, as Protocol/CUSTOMER-API.md and PROTOCOL.md §6.1 and
// §12 list them (field numbers, types, labels). A reader skips the fields it does not list.
'use strict';

const { encodeMessage, decodeMessage } = require('./encoding');

// [number, name, type, label] → a schema of encoding.js. 'sint32' and 'uint32' are 32-bit.
function msg(...fields) {
  return { fields: fields.map(([n, name, type, label = 'singular']) => {
    const bits = /32$/.test(type) ? 32 : 64;
    const base = typeof type === 'string' ? type.replace(/(32|64)$/, '') : type;
    return { n, name, type: base, bits, label };
  }) };
}
const opt = 'optional';
const rep = 'repeated';
const numbers = (...values) => ({ enumNumbers: values.map(BigInt) });

const S = {};
S.Empty = msg();
S.HealthCheckRequest = msg([1, 'service', 'string', opt]);
S.HealthCheckResponse = msg([1, 'status', numbers(0, 1, 2, 3)]);
S.StatusCount = msg([1, 'code', numbers(...Array.from({ length: 17 }, (_, i) => i))], [2, 'count', 'uint64']);
S.ServerInfoResponse = msg(
  [1, 'protocolVersion', 'uint32'], [2, 'serverName', 'string'], [3, 'serverVersion', 'string'],
  [5, 'maxFrameSize', 'uint64'], [6, 'maxConcurrentCalls', 'uint64'],
  [8, 'idleTimeoutMilliseconds', 'uint64'], [9, 'handshakeTimeoutMilliseconds', 'uint64'],
  [10, 'initialStreamWindow', 'uint64'], [15, 'callsInFlight', 'uint64', opt],
  [22, 'statisticsWithheld', 'bool', opt],
);
S.MethodDescription = msg([1, 'name', 'string'], [2, 'kind', numbers(0, 1, 2, 3)]);
S.ServiceDescription = msg([1, 'name', 'string'], [2, 'methods', S.MethodDescription, rep]);
S.ListServicesResponse = msg([1, 'services', S.ServiceDescription, rep]);
S.DescribeServicesRequest = msg([1, 'services', 'string', rep]);
S.MethodSchema = msg([1, 'name', 'string'], [2, 'kind', numbers(0, 1, 2, 3)], [3, 'request', 'string'],
  [4, 'response', 'string'], [5, 'requirement', 'string', opt], [6, 'summary', 'string', opt]);
S.ServiceSchema = msg([1, 'name', 'string'], [2, 'methods', S.MethodSchema, rep]);
S.FieldSchema = msg([1, 'number', 'uint32'], [2, 'name', 'string'], [3, 'label', numbers(0, 1, 2, 3)], [4, 'type', 'string'],
  [5, 'keyType', 'string', opt], [6, 'wireType', 'uint32']);
S.MessageSchema = msg([1, 'name', 'string'], [2, 'fields', S.FieldSchema, rep]);
S.EnumValueSchema = msg([1, 'name', 'string'], [2, 'number', 'sint64', opt], [3, 'text', 'string', opt]);
S.EnumSchema = msg([1, 'name', 'string'], [2, 'values', S.EnumValueSchema, rep]);
S.DescribeServicesResponse = msg([1, 'services', S.ServiceSchema, rep], [2, 'messages', S.MessageSchema, rep],
  [3, 'enums', S.EnumSchema, rep]);

const scope = numbers(0, 1, 2);
S.Rights = msg([1, 'readCustomers', scope], [2, 'editCustomers', scope], [3, 'financialFigures', 'bool'],
  [4, 'deleteCustomers', 'bool'], [5, 'manageContacts', 'bool'], [6, 'administration', 'bool']);
S.UserRef = msg([1, 'id', 'sint64'], [2, 'name', 'string']);
S.User = msg([1, 'id', 'sint64'], [2, 'uid', 'uint32'], [3, 'name', 'string'], [4, 'isAdministrator', 'bool'],
  [5, 'active', 'bool'], [6, 'createdAt', 'timestamp'], [7, 'profile', 'string', opt],
  [8, 'trustedService', 'bool', opt], [9, 'rights', S.Rights, opt], [10, 'actingService', S.UserRef, opt]);
S.AddUserRequest = msg([1, 'uid', 'uint32'], [2, 'name', 'string'], [3, 'isAdministrator', 'bool', opt], [4, 'profile', 'string', opt]);
S.UserNameRequest = msg([1, 'user', 'string']);
S.SetTrustedServiceRequest = msg([1, 'user', 'string'], [2, 'trusted', 'bool']);

S.CustomerFields = msg([1, 'number', 'sint64', opt], [2, 'name', 'string', opt], [3, 'accountManager', 'string', opt],
  [4, 'description', 'string', opt], [5, 'vatNumber', 'string', opt], [6, 'country', 'string', opt],
  [7, 'industry', 'string', opt], [8, 'email', 'string', opt], [9, 'website', 'string', opt], [10, 'phone', 'string', opt]);
S.CreateCustomerRequest = msg([1, 'fields', S.CustomerFields], [2, 'allowDuplicateVat', 'bool', opt]);
S.Customer = msg([1, 'id', 'sint64'], [2, 'number', 'sint64'], [3, 'name', 'string'],
  [4, 'accountManager', S.UserRef, opt], [7, 'country', 'string', opt], [12, 'active', 'bool'],
  [13, 'version', 'sint64'], [14, 'createdAt', 'timestamp'], [15, 'createdBy', S.UserRef],
  [16, 'updatedAt', 'timestamp'], [17, 'updatedBy', S.UserRef], [22, 'deleted', 'bool', opt]);
S.GetCustomerRequest = msg([1, 'id', 'sint64', opt], [2, 'number', 'sint64', opt]);
S.UpdateCustomerRequest = msg([1, 'id', 'sint64'], [2, 'expectedVersion', 'sint64', opt], [3, 'fields', S.CustomerFields],
  [4, 'allowDuplicateVat', 'bool', opt]);
S.DeleteCustomerRequest = msg([1, 'id', 'sint64'], [2, 'confirm', 'bool']);
S.CustomerQuery = msg([1, 'status', numbers(0, 1, 2), opt], [2, 'search', 'string', opt], [3, 'country', 'string', opt],
  [4, 'accountManager', 'string', opt], [5, 'changedSince', 'timestamp', opt], [6, 'order', numbers(0, 1), opt]);
S.ListCustomersRequest = msg([1, 'query', S.CustomerQuery], [2, 'limit', 'sint32', opt], [3, 'pageToken', 'string', opt]);
S.ListCustomersResponse = msg([1, 'customers', S.Customer, rep], [2, 'nextPageToken', 'string', opt]);
S.StreamCustomersRequest = msg([1, 'query', S.CustomerQuery]);

S.AddressFields = msg([1, 'street1', 'string', opt], [4, 'postalCode', 'string', opt], [5, 'city', 'string', opt],
  [7, 'country', 'string', opt]);
S.CustomerRecord = msg([1, 'line', 'sint64', opt], [2, 'fields', S.CustomerFields], [3, 'address', S.AddressFields, opt]);
S.ImportOptions = msg([1, 'dryRun', 'bool', opt], [2, 'continueOnError', 'bool', opt], [3, 'allowDuplicateVat', 'bool', opt]);
S.ImportCustomersMessage = msg([1, 'options', S.ImportOptions, opt], [2, 'rows', S.CustomerRecord, rep]);
S.ImportProblem = msg([1, 'line', 'sint64'], [2, 'field', 'string'], [3, 'reason', 'string']);
S.ImportCustomersResponse = msg([1, 'rows', 'sint64'], [2, 'imported', 'sint64'], [3, 'rejectedRows', 'sint64'],
  [4, 'problems', S.ImportProblem, rep], [5, 'dryRun', 'bool']);

S.UploadHeader = msg([1, 'customerId', 'sint64'], [2, 'projectId', 'sint64', opt], [3, 'name', 'string'],
  [4, 'size', 'sint64'], [5, 'sha256', 'string'], [6, 'contentType', 'string', opt]);
S.UploadFileMessage = msg([1, 'header', S.UploadHeader, opt], [2, 'data', 'bytes', opt]);
S.FileInfo = msg([1, 'id', 'sint64'], [2, 'customerId', 'sint64'], [5, 'name', 'string'], [6, 'size', 'sint64'],
  [7, 'sha256', 'string']);
S.FileIDRequest = msg([1, 'id', 'sint64']);
S.FileChunk = msg([1, 'data', 'bytes'], [2, 'size', 'sint64', opt], [3, 'sha256', 'string', opt]);

S.WatchChangesRequest = msg([1, 'after', 'sint64', opt], [2, 'kinds', numbers(0, 1, 2, 3, 4, 5, 6, 7), rep]);
S.ChangeEvent = msg([1, 'sequence', 'sint64'], [2, 'kind', numbers(0, 1, 2, 3, 4, 5, 6, 7)], [3, 'action', 'string'],
  [4, 'entityId', 'sint64'], [5, 'customerId', 'sint64']);
S.FeedBoundsResponse = msg([1, 'prunedThrough', 'sint64'], [2, 'last', 'sint64']);

const encode = (schema, value) => encodeMessage(S[schema], value);
const decode = (schema, bytes) => decodeMessage(S[schema], bytes);

module.exports = { S, encode, decode };
