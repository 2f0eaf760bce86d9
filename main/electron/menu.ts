/**
 * The application menu and the tray: open the dashboard, show the data folder, quit. Quitting
 * from either goes through `app.quit()`, so it drains like closing the window does.
 */
import { Menu, Tray, type MenuItemConstructorOptions } from 'electron';

export interface ShellActions {
  openDashboard(): void;
  showDataFolder(): void;
  quit(): void;
}

function commonItems(actions: ShellActions): MenuItemConstructorOptions[] {
  return [
    { label: 'Open Dashboard', accelerator: 'CmdOrCtrl+Shift+D', click: () => actions.openDashboard() },
    { label: 'Show Data Folder', click: () => actions.showDataFolder() },
    { type: 'separator' },
    { label: 'Quit Seerflow', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() },
  ];
}

export function appMenuTemplate(actions: ShellActions, platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  return [
    ...(platform === 'darwin' ? [{ label: 'Seerflow', submenu: [{ role: 'about' as const }, { type: 'separator' as const }, { role: 'hide' as const }] }] : []),
    { label: 'File', submenu: commonItems(actions) },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [{ role: 'reload' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { role: 'togglefullscreen' }],
    },
    { role: 'windowMenu' },
  ];
}

export function trayMenuTemplate(actions: ShellActions): MenuItemConstructorOptions[] {
  return commonItems(actions);
}

export function installMenus(actions: ShellActions, trayIcon: string): Tray {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(actions)));
  const tray = new Tray(trayIcon);
  tray.setToolTip('Seerflow');
  tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(actions)));
  tray.on('click', () => actions.openDashboard());
  return tray;
}
