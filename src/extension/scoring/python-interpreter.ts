// Which Python runs the user's reward function: the interpreter selected in the Python extension (ms-python) when
// it is installed, else rolloutLens.pythonPath, else python.defaultInterpreterPath when the user set it, else
// python3. The Python extension's API is used without a dependency on its package: only the two calls we need.
import * as vscode from 'vscode';

interface PythonEnvironmentsApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment(env: { path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
}

export interface Interpreter {
  path: string;
  source: 'python-extension' | 'rolloutLens.pythonPath' | 'python.defaultInterpreterPath' | 'default';
}

export async function pythonInterpreter(scope?: vscode.Uri): Promise<Interpreter> {
  const ext = vscode.extensions.getExtension<PythonEnvironmentsApi>('ms-python.python');
  if (ext) {
    try {
      const api = ext.isActive ? ext.exports : await ext.activate();
      const env = api.environments?.getActiveEnvironmentPath(scope);
      if (env) {
        const resolved = await api.environments?.resolveEnvironment(env);
        const exe = resolved?.executable?.uri?.fsPath ?? env.path;
        if (exe) return { path: exe, source: 'python-extension' };
      }
    } catch {
      // The Python extension failed to answer: fall back to the settings.
    }
  }
  const own = vscode.workspace.getConfiguration('rolloutLens', scope).get<string>('pythonPath', '').trim();
  if (own) return { path: own, source: 'rolloutLens.pythonPath' };
  const inspected = vscode.workspace.getConfiguration('python', scope).inspect<string>('defaultInterpreterPath');
  const userSet = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
  if (typeof userSet === 'string' && userSet.trim()) return { path: userSet.trim(), source: 'python.defaultInterpreterPath' };
  return { path: process.platform === 'win32' ? 'python' : 'python3', source: 'default' };
}
