import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Prefs of a throw-away profile: unsigned add-ons from the profile load at start-up, no first-run screens, nothing phoning home. */
const prefs: Record<string, string | number | boolean> = {
  'xpinstall.signatures.required': false,
  'extensions.autoDisableScopes': 0,
  'extensions.enabledScopes': 15,
  'extensions.startupScanScopes': 15,
  'extensions.update.enabled': false,
  'extensions.update.autoUpdateDefault': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.blocklist.enabled': false,
  'mail.provider.suppress_dialog_on_startup': true,
  'mail.shell.checkDefaultClient': false,
  'mailnews.start_page.enabled': false,
  'mailnews.start_page_override.mstone': 'ignore',
  'mail.rights.version': 1,
  'mail.spotlight.firstRunDone': true,
  'mail.winsearch.firstRunDone': true,
  'mail.inappnotifications.enabled': false,
  'app.update.auto': false,
  'app.update.enabled': false,
  'app.update.checkInstallTime': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'mailnews.auto_config.fetchFromISP.enabled': false,
  'mailnews.auto_config.guess.enabled': false,
  'mailnews.auto_config_url': '',
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'mail.phishing.detection.enabled': false,
  'mailnews.message_display.disable_remote_image': true,
  // Under Xvfb there is no window manager to give Thunderbird's window the focus, and a popup (the add-on's, opened
  // for its screenshot) closes as soon as it sees its window without it; this keeps popups open (as devtools does).
  'ui.popup.disable_autohide': true,
  'browser.dom.window.dump.enabled': true,
  'devtools.console.stdout.content': true,
  'devtools.console.stdout.chrome': true,
  // A Local Folders account defined by prefs alone; its Inbox is the mbox written below.
  'mail.accountmanager.accounts': 'account1',
  'mail.accountmanager.localfoldersserver': 'server1',
  'mail.account.account1.server': 'server1',
  'mail.server.server1.type': 'none',
  'mail.server.server1.hostname': 'Local Folders',
  'mail.server.server1.userName': 'nobody',
  'mail.server.server1.name': 'Local Folders',
  'mail.server.server1.directory-rel': '[ProfD]Mail/Local Folders',
};

/** One mbox entry per message: a `From ` separator line, the message with `From ` lines escaped, a blank line. */
export function mbox(messages: string[]): string {
  return messages
    .map((raw) => {
      const text = raw.replace(/\r\n/g, '\n').replace(/^(>*From )/gm, '>$1');
      return `From - Sun Nov 29 10:00:00 2026\n${text.endsWith('\n') ? text : `${text}\n`}\n`;
    })
    .join('');
}

/** Writes a profile into `dir` (empty or absent): prefs, the add-ons (by gecko id), and the Inbox holding `messages`. */
export function writeProfile(
  dir: string,
  options: {
    addons: Record<string, Buffer>;
    messages: string[];
    /** The account's identity (with a plain-text signature) and the SMTP server it sends through, without authentication. */
    identity: { name: string; email: string; signature: string; smtpPort: number };
    extraPrefs?: typeof prefs;
  },
) {
  mkdirSync(join(dir, 'extensions'), { recursive: true });
  // The shop's address as the account's identity, so that a reply has a sender (the mail came in on it).
  const identity = {
    'mail.account.account1.identities': 'id1',
    'mail.identity.id1.fullName': options.identity.name,
    'mail.identity.id1.useremail': options.identity.email,
    'mail.identity.id1.valid': true,
    'mail.identity.id1.htmlSigText': options.identity.signature,
    'mail.identity.id1.htmlSigFormat': false,
    'mail.identity.id1.sig_on_reply': true,
    'mail.identity.id1.smtpServer': 'smtp1',
    'mail.smtpservers': 'smtp1',
    'mail.smtp.defaultserver': 'smtp1',
    'mail.smtpserver.smtp1.type': 'smtp',
    'mail.smtpserver.smtp1.hostname': '127.0.0.1',
    'mail.smtpserver.smtp1.port': options.identity.smtpPort,
    'mail.smtpserver.smtp1.authMethod': 1, // nsMsgAuthMethod.none
    'mail.smtpserver.smtp1.try_ssl': 0,
    'mail.smtpserver.smtp1.username': '',
  };
  const all = { ...prefs, ...identity, ...options.extraPrefs };
  writeFileSync(
    join(dir, 'user.js'),
    Object.entries(all)
      .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});\n`)
      .join(''),
  );
  for (const [id, xpi] of Object.entries(options.addons)) writeFileSync(join(dir, 'extensions', `${id}.xpi`), xpi);
  const local = join(dir, 'Mail', 'Local Folders');
  mkdirSync(local, { recursive: true });
  writeFileSync(join(local, 'Inbox'), mbox(options.messages));
}
