import { Form, Link, NavLink } from '@remix-run/react';
import type { ReactNode } from 'react';
import type { Actor } from '~/auth/permissions';
import { ROLE_LABELS } from '~/auth/permissions';
import { navFor, type NavCounts } from './navigation';

export const SERVICE_NAME = 'Social value portal';

export interface LayoutUser {
  name: string;
  role: Exclude<Actor, 'public'>;
  organisationName: string;
}

export function PageLayout({ user, authorityName, outboxVisible = false, counts, children }: { user: LayoutUser | null; authorityName: string; outboxVisible?: boolean; counts?: NavCounts; children: ReactNode }) {
  const actor: Actor = user?.role ?? 'public';
  return (
    <>
      <a href="#main-content" className="govuk-skip-link">Skip to main content</a>
      <header className="app-service-header">
        <div className="govuk-width-container app-service-header__container">
          <div>
            <Link to="/" className="app-service-header__name">{SERVICE_NAME}</Link>
            <span className="app-service-header__authority">{authorityName}</span>
          </div>
          <div className="app-service-header__account">
            {user ? (
              <>
                <span>
                  {user.name} <span className="govuk-visually-hidden">signed in as</span>({ROLE_LABELS[user.role]}, {user.organisationName})
                </span>
                <Link className="govuk-link" to="/account">Your account</Link>
                <Form method="post" action="/sign-out" className="app-inline-form">
                  <button type="submit" className="app-link-button">Sign out</button>
                </Form>
              </>
            ) : (
              <Link className="govuk-link" to="/sign-in">Sign in</Link>
            )}
          </div>
        </div>
      </header>
      <nav aria-label="Menu" className="govuk-service-navigation" data-module="govuk-service-navigation">
        <div className="govuk-width-container">
          <div className="govuk-service-navigation__container">
            <ul className="govuk-service-navigation__list" id="navigation">
              {navFor(actor, { outboxVisible }).map((item) => (
                <li key={item.href} className="govuk-service-navigation__item">
                  <NavLink
                    to={item.href}
                    end={item.href === '/'}
                    className="govuk-service-navigation__link"
                  >
                    {item.label}
                    {item.count && counts && counts[item.count] > 0 ? <span className="app-nav-count"> ({counts[item.count]}<span className="govuk-visually-hidden"> waiting</span>)</span> : null}
                  </NavLink>
                </li>
              ))}
            </ul>
          </div>
        </div>
      </nav>
      <div className="govuk-width-container">
        <main className="govuk-main-wrapper" id="main-content" tabIndex={-1}>
          {children}
        </main>
      </div>
      <footer className="govuk-footer">
        <div className="govuk-width-container">
          <div className="govuk-footer__meta">
            <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
              <h2 className="govuk-visually-hidden">Support links</h2>
              <ul className="govuk-footer__inline-list">
                <li className="govuk-footer__inline-list-item"><Link className="govuk-footer__link" to="/accessibility">Accessibility statement</Link></li>
                <li className="govuk-footer__inline-list-item"><Link className="govuk-footer__link" to="/privacy">Privacy notice</Link></li>
                <li className="govuk-footer__inline-list-item"><Link className="govuk-footer__link" to="/cookies">Cookies</Link></li>
              </ul>
              <p className="govuk-body-s">Run by {authorityName}. Open-source software for UK councils.</p>
            </div>
          </div>
        </div>
      </footer>
    </>
  );
}
