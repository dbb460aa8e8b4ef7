@{
    Synopsis    = 'Deletes stored contexts.'
    Description = @'
Remove-OpsContext deletes the files of named contexts. The built-in default cannot be removed; removing a stored context named default reverts to the built-in one. When the removed context was this session's active context, the environment's or the built-in default applies from then on.
'@
    Parameters  = @{
        Name  = 'Names of the contexts to delete. Also binds from the Name property of piped objects.'
        Force = 'Deletes without asking for confirmation. -WhatIf still only shows what would be deleted.'
    }
    Examples    = @(
        @{
            Title   = 'Delete a context'
            Code    = 'Remove-OpsContext -Name staging'
            Remarks = 'Deletes the staging context after confirmation.'
        }
        @{
            Title   = 'Delete contexts by a pattern, without prompting'
            Code    = 'Get-OpsContext -Name test-* | Remove-OpsContext -Force'
            Remarks = 'Deletes every context whose name starts with test-, without prompting.'
        }
    )
    Links       = @('Get-OpsContext', 'Set-OpsContext')
}
