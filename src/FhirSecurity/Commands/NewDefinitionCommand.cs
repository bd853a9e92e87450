using System.Management.Automation;

namespace FhirSecurity.Commands;

/// <summary>
/// New-FhirBasicAuth: the name of the new definition, -Force and -PassThru. The kinds whose New- and Set- share
/// parameters derive from a base of their own (ConnectionWriteCommand, OAuthWriteCommand, CaBundleWriteCommand).
/// </summary>
public abstract class NewDefinitionCommand : FhirCommand
{
    /// <summary>The definition's name (letters, digits, hyphens).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    /// <summary>Replaces a definition of the same name in that vault.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes the new definition (secrets redacted) to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }
}
