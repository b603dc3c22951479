export function createSmokeActivities() {
  return {
    async echo(message: string): Promise<string> {
      return `activity echoed: ${message}`;
    },
  };
}
export type SmokeActivities = ReturnType<typeof createSmokeActivities>;
