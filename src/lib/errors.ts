/** A problem the user can fix; `message` is safe to show them as is. */
export class UserInputError extends Error {
  override readonly name = 'UserInputError';
}

/** The thing does not exist for this user: absent, or someone else's (we never say which). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}
