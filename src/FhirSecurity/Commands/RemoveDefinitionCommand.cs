using System.Management.Automation;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Commands;

/// <summary>
/// Remove-Fhir*: removes one definition from the chosen vault. A definition a connection still uses is refused.
/// </summary>
public abstract class RemoveDefinitionCommand : FhirCommand
{
    /// <summary>The definition's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DefinitionNameCompleter))]
    public string Name { get; set; } = string.Empty;

    internal abstract DefinitionKind Kind { get; }

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() =>
        {
            // Checked first (exists, not in use), so -WhatIf and -Confirm are asked about a removal that would succeed.
            var removal = Store.PrepareRemove(Kind, Name, Vault);
            if (ShouldProcess($"{Kind.Describe()} '{Name}' in vault '{removal.Vault}'", "Remove"))
            {
                Store.CommitRemove(removal);
            }
        });
}
