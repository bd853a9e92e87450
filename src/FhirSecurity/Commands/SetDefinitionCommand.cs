using System.Management.Automation;

namespace FhirSecurity.Commands;

/// <summary>
/// Set-FhirBasicAuth: the name of the definition to change, and -PassThru (see <see cref="NewDefinitionCommand"/>).
/// </summary>
public abstract class SetDefinitionCommand : FhirCommand
{
    /// <summary>The definition's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DefinitionNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>Writes the changed definition (secrets redacted) to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }
}
