export const REQUEST_BODY_LIMIT_BYTES: number;
export const REQUEST_BODY_LIMIT_TEXT: string;
