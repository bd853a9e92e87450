using System.Globalization;
using System.Management.Automation.Host;

namespace FhirSecurity.Tests.Harness;

/// <summary>A non-interactive host whose UI records everything written to it (Out-Default renders here).</summary>
internal sealed class CapturingHost : PSHost
{
    private readonly CapturingHostUserInterface _ui = new();

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override string Name => "FhirSecurity.Tests";

    public override PSHostUserInterface UI => _ui;

    public override Version Version => new(1, 0);

    /// <summary>What the UI received since the last <see cref="TakeText"/>.</summary>
    public string TakeText() => _ui.Take();

    public override void EnterNestedPrompt() => throw new NotSupportedException("The test host is not interactive.");

    public override void ExitNestedPrompt() => throw new NotSupportedException("The test host is not interactive.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }
}
