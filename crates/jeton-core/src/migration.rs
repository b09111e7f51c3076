//! Google Authenticator transfer links (`otpauth-migration://offline?data=…`).
