# The cmdlet x target matrix (Matrix.Tests.ps1): its columns, how a row of Matrix.psd1 resolves on
# each column, the machine-side probes its State/Arrange/Undo code calls, and the coverage table.
Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1')

# Group decides the Pester tag: Local needs nothing, Ssh the loopback sshd, Lab the running lab.
$script:Columns = @(
    [pscustomobject]@{ Name = 'Local'; Title = 'this machine, in-process'; Group = 'Local' }
    [pscustomobject]@{ Name = 'Ssh'; Title = 'SSH -ComputerName (a new connection, loopback sshd)'; Group = 'Ssh' }
    [pscustomobject]@{ Name = 'KvmTimeSession'; Title = 'a KvmTime session (New-KvmTimeSession)'; Group = 'Ssh' }
    [pscustomobject]@{ Name = 'PSSession'; Title = 'a PowerShell session (remoting over SSH to this machine)'; Group = 'Ssh' }
    [pscustomobject]@{ Name = 'Windows'; Title = 'a Windows guest, faked from recorded and documented-format outputs (WindowsFake.ps1) in a PSSession'; Group = 'Ssh' }
    [pscustomobject]@{ Name = 'LabGuest'; Title = 'the lab''s Linux guest over SSH'; Group = 'Lab' }
    [pscustomobject]@{ Name = 'LabHost'; Title = 'the lab''s libvirt host (this machine, in-process, the lab''s domain)'; Group = 'Lab' }
)

function Get-MatrixColumn { $script:Columns }

function Get-MatrixRow { (Import-PowerShellDataFile (Join-Path $PSScriptRoot 'Matrix.psd1')).Rows }

function Get-MatrixRowLabel([hashtable] $Row) { if ($Row.Mode) { "$($Row.Cmdlet) $($Row.Mode)" } else { $Row.Cmdlet } }

<#
.SYNOPSIS
    One cell: the row's keys with the column's overrides on top, and what the cell is:
    NotApplicable (with Reason), Error (an ErrorId to expect) or Run; Group is the Pester tag.
#>
function Resolve-MatrixCell([hashtable] $Row, [pscustomobject] $Column) {
    $cell = @{}
    foreach ($key in $Row.Keys) { if ($Row[$key] -isnot [hashtable] -or $key -notin $script:Columns.Name) { $cell[$key] = $Row[$key] } }
    # The lab host is this machine: each cell runs once, on the column that names it.
    if ($Row.HostSide -and $Column.Name -eq 'Local') { $cell.NotApplicable = 'this machine is the lab''s libvirt host: the LabHost column is this call in-process' }
    if (-not $Row.HostSide -and $Column.Name -eq 'LabHost') { $cell.NotApplicable = 'not a host-side cmdlet; the lab host is this machine (the Local column)' }
    if ($Row[$Column.Name] -is [hashtable]) { foreach ($key in $Row[$Column.Name].Keys) { $cell[$key] = $Row[$Column.Name][$key] } }
    $cell.Label = Get-MatrixRowLabel $Row
    $cell.Column = $Column.Name
    $cell.ColumnTitle = $Column.Title
    $cell.Outcome = if ($cell.NotApplicable) { 'NotApplicable' } elseif ($cell.ErrorId) { 'Error' } else { 'Run' }
    # Host-side calls need the lab's libvirt domain, whichever way they reach this machine.
    $cell.Group = if ($cell.Outcome -eq 'Run' -and $Row.HostSide) { 'Lab' } else { $Column.Group }
    $what = switch ($cell.Outcome) {
        'Error' { "fails with $($cell.ErrorId)" }
        'NotApplicable' { 'not applicable' }
        default { if ($cell.Kind -eq 'Change') { if ($cell.WhatIfOnly) { '-WhatIf changes nothing' } else { '-WhatIf changes nothing, a real change is made' + $(if ($cell.Undo) { ' and undone' }) } } else { 'a real result' } }
    }
    $faked = if ($cell.Fake) { " [$($cell.Fake)]" }
    $cell.Name = "$($cell.Label) on $($Column.Name) ($($Column.Title))$($faked): $what"
    $cell
}

function Get-MatrixCell { foreach ($row in Get-MatrixRow) { foreach ($column in $script:Columns) { Resolve-MatrixCell $row $column } } }

# Runs sh on the cell's machine: the lab guest through lab.sh ssh, every other Linux column is this machine.
function Invoke-TargetShell([hashtable] $Ctx, [string] $Command) {
    if ($Ctx.Windows) { throw 'the Windows column has no sh' }
    $output = if ($Ctx.Guest) { Invoke-Lab ssh, $Ctx.Guest.Name, $Command } else {
        $text = & sh -c $Command 2>&1
        if ($LASTEXITCODE -ne 0) { throw "sh -c '$Command' failed ($LASTEXITCODE): $text" }
        $text
    }
    (@($output) -join "`n").Trim()
}

function Get-TargetClocksource([hashtable] $Ctx) { Invoke-TargetShell $Ctx 'cat /sys/devices/system/clocksource/clocksource0/current_clocksource' }

# Changes back files up beside them on the target: a cell lists those there before it and removes only the new ones.
function Save-TargetFileList([hashtable] $Ctx, [string] $Pattern) {
    $Ctx.FilePattern = $Pattern
    $Ctx.FilesBefore = @((Invoke-TargetShell $Ctx "ls -d $Pattern 2>/dev/null; true") -split "`n" | Where-Object { $_ })
}

function Remove-NewTargetFile([hashtable] $Ctx) {
    $now = @((Invoke-TargetShell $Ctx "ls -d $($Ctx.FilePattern) 2>/dev/null; true") -split "`n" | Where-Object { $_ })
    $new = @($now | Where-Object { $_ -notin $Ctx.FilesBefore })
    if ($new) { $null = Invoke-TargetShell $Ctx ('rm -f -- ' + (($new | ForEach-Object { "'$_'" }) -join ' ')) }
}

# The wall clock minus the time since boot, in whole seconds: a step of the clock moves it, nothing else does.
function Get-BootEpoch([hashtable] $Ctx) {
    [double](Invoke-TargetShell $Ctx 'read up rest < /proc/uptime; echo $(( $(date +%s) - ${up%.*} ))')
}

function Invoke-GuestAgent([hashtable] $Ctx, [string] $Json) {
    $reply = & virsh -q -c $Ctx.LibvirtUri qemu-agent-command --domain $Ctx.Domain $Json 2>&1
    if ($LASTEXITCODE -ne 0) { throw "virsh qemu-agent-command $Json failed: $reply" }
    ($reply -join '') | ConvertFrom-Json
}

# Sets the lab guest's clock one hour ahead through its agent channel (libvirt holds the socket).
function Push-GuestHourAhead([hashtable] $Ctx) {
    $ns = [DateTimeOffset]::UtcNow.AddHours(1).ToUnixTimeMilliseconds() * 1000000
    $null = Invoke-GuestAgent $Ctx ('{"execute":"guest-set-time","arguments":{"time":' + $ns + '}}')
}

function Get-GuestOffsetSeconds([hashtable] $Ctx) {
    $guest = (Invoke-GuestAgent $Ctx '{"execute":"guest-get-time"}').return / 1e9
    $guest - [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() / 1e3
}

# The in-guest sync needs a time daemon: the guest's chronyd follows the lab's NTP server.
function Start-GuestChrony([hashtable] $Ctx) {
    $answer = Invoke-TargetShell $Ctx 'pidof chronyd >/dev/null && echo running || { /etc/init.d/chrony start >/dev/null 2>&1; echo started; }; chronyc burst 4/4 >/dev/null; sleep 6'
    $Ctx.StartedChrony = $answer -match 'started'
    Suspend-GuestChronyStep $Ctx
}

function Stop-GuestChrony([hashtable] $Ctx) {
    Resume-GuestChronyStep $Ctx
    if ($Ctx.StartedChrony) { $null = Invoke-TargetShell $Ctx '/etc/init.d/chrony stop >/dev/null 2>&1 || killall chronyd; true' }
}

# The lab guest's chrony.conf says 'makestep 1 -1': its chronyd would step a clock pushed an hour
# ahead by itself, at its next poll, maybe between a cell's reads. While a cell runs only the cmdlet
# steps (chronyc makestep without arguments still does); afterwards the guest's own setting is back.
function Suspend-GuestChronyStep([hashtable] $Ctx) {
    $Ctx.SuspendedStep = (Invoke-TargetShell $Ctx 'pidof chronyd >/dev/null && chronyc makestep 100000 0 >/dev/null && echo suspended; true') -match 'suspended'
}

function Resume-GuestChronyStep([hashtable] $Ctx) {
    if ($Ctx.SuspendedStep) { $null = Invoke-TargetShell $Ctx 'chronyc makestep $(awk ''/^makestep/ { print $2, $3 }'' /etc/chrony/chrony.conf) >/dev/null; true' }
    $Ctx.SuspendedStep = $false
}

<#
.SYNOPSIS
    The coverage table as markdown: one line per row, one column per target (pass, pass with the
    expected error ID, pass of -WhatIf only, FAIL, n/a, not run), then every cell with what it
    checked, its reason or its failure.
#>
function Format-MatrixTable([System.Collections.Specialized.OrderedDictionary] $Coverage) {
    $labels = @(Get-MatrixRow | ForEach-Object { Get-MatrixRowLabel $_ })
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add('# KvmTime: every cmdlet on every kind of target')
    $lines.Add('')
    $lines.Add("Written by tests/pester/Matrix.Tests.ps1 on $([DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm')) UTC. Rows: tests/pester/Matrix.psd1.")
    $lines.Add('')
    $lines.Add('| Cmdlet | ' + ($script:Columns.Name -join ' | ') + ' |')
    $lines.Add('|---|' + (($script:Columns | ForEach-Object { '---' }) -join '|') + '|')
    foreach ($label in $labels) {
        $marks = foreach ($column in $script:Columns) {
            $entry = $Coverage["$label|$($column.Name)"]
            switch ($entry.Status) { 'pass' { $entry.Mark } 'fail' { '**FAIL**' } 'n/a' { 'n/a' } default { 'not run' } }
        }
        $lines.Add("| $label | " + ($marks -join ' | ') + ' |')
    }
    $lines.Add('')
    $lines.Add('Columns:')
    $lines.Add('')
    foreach ($column in $script:Columns) { $lines.Add("- **$($column.Name)**: $($column.Title)") }
    $lines.Add('')
    $lines.Add('Every cell:')
    $lines.Add('')
    foreach ($key in $Coverage.Keys) {
        $entry = $Coverage[$key]
        $label, $column = $key -split '\|'
        $lines.Add("- $label on $($column): $($entry.Status): $($entry.Detail)")
    }
    $lines
}

Export-ModuleMember -Function Get-MatrixColumn, Get-MatrixRow, Get-MatrixRowLabel, Resolve-MatrixCell, Get-MatrixCell, Invoke-TargetShell, Get-TargetClocksource, Get-BootEpoch, Save-TargetFileList, Remove-NewTargetFile,
    Push-GuestHourAhead, Get-GuestOffsetSeconds, Start-GuestChrony, Stop-GuestChrony, Suspend-GuestChronyStep, Resume-GuestChronyStep, Format-MatrixTable
