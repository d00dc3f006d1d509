export const handle = { title: 'Cookies' };

// Public: a static page. No loader or action.
export default function Cookies() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Cookies</h1>
        <p className="govuk-body">Cookies are small files saved on your device when you use a website. This service uses only one cookie, and only once you sign in. It is essential for the service to work, so we do not ask for consent to set it.</p>
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">Essential cookies</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Name</th>
              <th scope="col" className="govuk-table__header">Purpose</th>
              <th scope="col" className="govuk-table__header">Expires</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            <tr className="govuk-table__row">
              <td className="govuk-table__cell">__Host-svp_session (svp_session on a copy running without HTTPS)</td>
              <td className="govuk-table__cell">Keeps you signed in. It holds a random code, not your name or password.</td>
              <td className="govuk-table__cell">After 7 days without use, 30 days at most, or when you sign out</td>
            </tr>
          </tbody>
        </table>
        <p className="govuk-body">We do not use analytics or advertising cookies, and we do not load anything from other websites.</p>
      </div>
    </div>
  );
}
