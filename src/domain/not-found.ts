/** Said whenever a contact id is not the user's (or no longer exists): we never reveal which. */
export const CONTACT_NOT_FOUND = 'That contact is not one of yours, or it no longer exists. Nothing was changed.';
export const MEETING_NOT_FOUND = 'That meeting is not one of yours, or it no longer exists. Nothing was changed.';
