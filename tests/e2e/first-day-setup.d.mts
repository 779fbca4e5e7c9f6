export declare const FIRST_DAY: {
  admin: { email: string; name: string; password: string };
  report: string;
};
