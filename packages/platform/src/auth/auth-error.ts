import { DomainError } from '../http/domain-error.js';

export type AuthErrorCode = 'TOKEN_INVALID' | 'TOKEN_EXPIRED';

/** An access token that must not be trusted. Deliberately vague: the caller learns no more than "invalid" or "expired". */
export class AuthError extends Error {
  constructor(readonly code: AuthErrorCode) {
    super(code === 'TOKEN_EXPIRED' ? 'the access token has expired' : 'the access token is not valid');
    this.name = 'AuthError';
  }
}

/**
 * Why a request is not authenticated; `TOKEN_EXPIRED` tells a client that refreshing may help,
 * `TOKEN_REVOKED` that only signing in again can (the account was deactivated or its password reset).
 */
export type UnauthenticatedReason = 'TOKEN_MISSING' | AuthErrorCode | 'TOKEN_REVOKED' | 'CREDENTIALS_INVALID';

/** 401 UNAUTHENTICATED with the `WWW-Authenticate` challenge RFC 6750 asks for (a header, not part of the body). */
export function unauthenticated(detail: string, reason: UnauthenticatedReason = 'TOKEN_MISSING'): DomainError {
  const tokenRefused = reason === 'TOKEN_INVALID' || reason === 'TOKEN_EXPIRED' || reason === 'TOKEN_REVOKED';
  const challenge = tokenRefused ? `Bearer error="invalid_token", error_description="${detail.replaceAll('"', "'")}"` : 'Bearer';
  return new DomainError('UNAUTHENTICATED', detail, { reason }, { 'WWW-Authenticate': challenge });
}
