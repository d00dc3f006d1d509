// Common passwords of 12 characters or more (shorter ones already fail the
// length rule), drawn from public breach top lists. Compared case-insensitively.
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456123456', '123123123123', '111111111111',
  '000000000000', '121212121212', '112233445566', '987654321098', '1q2w3e4r5t6y', '1qaz2wsx3edc',
  'qwertyuiopas', 'qwertyuiop12', 'qwertyuiop123', 'qwerty123456', 'qwertyqwerty', 'asdfghjkl123',
  'asdfasdfasdf', 'zxcvbnm12345', 'password1234', 'password12345', 'password123456', 'passwordpassword',
  'password123!', 'password2024', 'password2025', 'password2026', 'mypassword123', 'changeme1234',
  'letmein12345', 'welcome12345', 'welcome123456', 'iloveyou1234', 'abcdefghijkl', 'abc123abc123',
  'administrator', 'admin1234567', 'adminadmin123', 'trustno1trustno1', 'sunshine1234', 'football1234',
  'baseball1234', 'superman1234', 'princess1234', 'starwars1234', 'monkey123456', 'dragon123456',
  'master123456', 'whatever1234', 'correcthorsebatterystaple', 'councilpassword', 'council12345',
  'socialvalue123', 'socialvalue2026', 'demo-password', 'passw0rd1234', 'p@ssw0rd1234', 'p@ssword1234',
  'london123456', 'manchester123', 'liverpool1234', 'chelsea12345', 'arsenal12345', 'summer2026!!',
]);
