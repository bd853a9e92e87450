using System.Globalization;
using System.Management.Automation.Host;

namespace FhirSecurity.Demo;

/// <summary>
/// The smallest host that lets a script talk to the console: Out-Default and $host.UI writes land on stdout.
/// Not interactive, so a script that prompts fails instead of hanging the demo.
/// </summary>
internal sealed class ConsoleHost : PSHost
{
    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override string Name => "FhirSecurity.Demo";

    public override PSHostUserInterface UI { get; } = new ConsoleHostUserInterface();

    public override Version Version => new(1, 0);

    public override void EnterNestedPrompt() => throw new NotSupportedException("The demo host is not interactive.");

    public override void ExitNestedPrompt() => throw new NotSupportedException("The demo host is not interactive.");

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
