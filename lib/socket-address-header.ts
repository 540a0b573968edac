// Name of the header lib/socket-address.ts stamps with the TCP peer's address.
// Kept apart so that code bundled for the browser or the edge never pulls in node:http.
export const SOCKET_ADDRESS_HEADER = 'x-flowforge-socket-address';
