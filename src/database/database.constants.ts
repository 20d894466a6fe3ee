/** The app's open database (OpenDatabase), or undefined for an app built without one. */
export const DATABASE = 'APP:DATABASE';
