import { createContext, useContext } from 'react';

// The per-request CSP nonce, set on the server; browsers hide it from scripts,
// so on the client it is an empty string, which is what React expects there.
const NonceContext = createContext('');
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
