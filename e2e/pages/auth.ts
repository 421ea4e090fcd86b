// The sign-in and registration screens.
import { expect, type Locator, type Page } from '@playwright/test';

export class AuthPages {
  readonly loginButton: Locator;
  readonly registerButton: Locator;

  constructor(readonly page: Page) {
    this.loginButton = page.getByRole('button', { name: 'Log in', exact: true });
    this.registerButton = page.getByRole('button', { name: 'Register', exact: true });
  }

  async register(user: { username: string; email: string; password: string }, displayName: string): Promise<void> {
    await this.page.goto('/register');
    await this.page.getByLabel('Username').fill(user.username);
    await this.page.getByLabel('Email').fill(user.email);
    await this.page.getByLabel('Display name').fill(displayName);
    await this.page.getByLabel('Password').fill(user.password);
    await this.registerButton.click();
  }

  async logIn(login: string, password: string): Promise<void> {
    await this.page.getByLabel('Username or email').fill(login);
    await this.page.getByLabel('Password').fill(password);
    await this.loginButton.click();
  }

  async expectLoginScreen(): Promise<void> {
    await expect(this.loginButton).toBeVisible();
  }
}
