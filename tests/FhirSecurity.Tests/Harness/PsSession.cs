using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Microsoft.PowerShell.SecretManagement;

namespace FhirSecurity.Tests.Harness;

/// <summary>
/// One hosted PowerShell session: a runspace from <see cref="InitialSessionState.CreateDefault2"/> (core cmdlets
/// only) with a capturing host, the built FhirSecurity module imported, and the SecretManagement double imported by
/// path (or no SecretManagement at all, to play "SecretManagement is not installed"). The double is the one loaded
/// even where the real module is installed: see <see cref="TestModulePath"/>.
/// </summary>
public sealed class PsSession : IDisposable
{
    // PSModulePath is process-wide; tests do not run in parallel, and each session sets it before it opens.
    private static readonly object s_modulePathGate = new();

    private readonly CapturingHost _host;
    private readonly Runspace _runspace;

    private PsSession(CapturingHost host, Runspace runspace)
    {
        _host = host;
        _runspace = runspace;
    }

    /// <summary>The session's runspace, for tests that need it directly.</summary>
    public Runspace Runspace => _runspace;

    /// <summary>
    /// Opens a session and imports out/FhirSecurity/FhirSecurity.psd1. With <paramref name="withSecretManagement"/>
    /// false, no module named Microsoft.PowerShell.SecretManagement can be found by the session.
    /// <paramref name="modulePathBefore"/> and <paramref name="modulePathAfter"/> put folders around the double's on
    /// PSModulePath (to prove which SecretManagement a session loads).
    /// </summary>
    public static PsSession Create(
        bool withSecretManagement = true,
        IReadOnlyList<string>? modulePathBefore = null,
        IReadOnlyList<string>? modulePathAfter = null)
    {
        var host = new CapturingHost();
        Runspace runspace;
        lock (s_modulePathGate)
        {
            if (withSecretManagement)
            {
                SecretManagementModule.PutFirstOnModulePath(modulePathBefore, modulePathAfter);
                runspace = RunspaceFactory.CreateRunspace(host, TestModulePath.SessionStateWithDouble());
                runspace.Open();
            }
            else
            {
                runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
                runspace.Open();
                TestModulePath.UseNone();
            }
        }

        var session = new PsSession(host, runspace);
        try
        {
            PsResult import = session.Run(
                "Import-Module -Name $manifest -ErrorAction Stop",
                new Dictionary<string, object?> { ["manifest"] = RepoPaths.ModuleManifest });
            if (import.Errors.Count > 0)
            {
                throw new InvalidOperationException(
                    "Importing " + RepoPaths.ModuleManifest + " failed: " + string.Join(" | ", import.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
            }
        }
        catch
        {
            session.Dispose();
            throw;
        }

        return session;
    }

    /// <summary>
    /// Runs a script in the session. <paramref name="variables"/> become session variables first. A terminating
    /// error does not throw: it is the last entry of <see cref="PsResult.Errors"/> and <see cref="PsResult.TerminatingError"/>.
    /// </summary>
    public PsResult Run(string script, IDictionary<string, object?>? variables = null)
    {
        foreach (KeyValuePair<string, object?> variable in variables ?? new Dictionary<string, object?>())
        {
            _runspace.SessionStateProxy.SetVariable(variable.Key, variable.Value);
        }

        using PowerShell ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        _host.TakeText();

        Collection<PSObject> output = [];
        ErrorRecord? terminating = null;
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException ex)
        {
            // ActionPreferenceStopException (-ErrorAction Stop) is a RuntimeException too.
            terminating = ex.ErrorRecord;
        }

        var errors = ps.Streams.Error.ToList();
        if (terminating is not null && !errors.Any(error => ReferenceEquals(error, terminating)))
        {
            errors.Add(terminating);
        }

        return new PsResult(
            output.Where(item => item is not null).ToList(),
            errors,
            ps.Streams.Warning.ToList(),
            ps.Streams.Verbose.ToList(),
            ps.Streams.Debug.ToList(),
            ps.Streams.Information.ToList(),
            _host.TakeText(),
            terminating);
    }

    /// <summary>
    /// Runs a script piped to Out-Default and returns what the host rendered (format views included). A script that
    /// writes an error fails the test: a rendering check over a command that did not run (the hosted engine has no
    /// Format-List, for one) would otherwise pass on nothing.
    /// </summary>
    public string RunFormatted(string script, IDictionary<string, object?>? variables = null)
    {
        PsResult result = Run("& {\n" + script + "\n} | Out-Default", variables);
        if (result.Errors.Count > 0)
        {
            throw new InvalidOperationException("The script to render wrote errors: " + string.Join(" | ", result.Errors.Select(e => e.FullyQualifiedErrorId)));
        }

        return result.HostText;
    }

    /// <summary>
    /// What <c>Format-List *</c> shows, for the hosted engine that lacks it: every property of every object the script
    /// writes, as "Name : value" rendered by the host. Fails like <see cref="RunFormatted"/> when the script writes errors.
    /// </summary>
    public string RunAllProperties(string script, IDictionary<string, object?>? variables = null)
        => RunFormatted("& {\n" + script + "\n} | ForEach-Object { foreach ($p in $_.PSObject.Properties) { '{0} : {1}' -f $p.Name, \"$($p.Value)\" } }", variables);

    /// <inheritdoc />
    public void Dispose() => _runspace.Dispose();
}
