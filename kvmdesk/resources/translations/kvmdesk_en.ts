<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name></name>
    <message numerus="yes">
        <source>Stopped after {0} of %n screenshot(s).</source>
        <translation>
            <numerusform>Stopped after {0} of %n screenshot.</numerusform>
            <numerusform>Stopped after {0} of %n screenshots.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n screenshot(s).</source>
        <translation>
            <numerusform>Saved %n screenshot.</numerusform>
            <numerusform>Saved %n screenshots.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n screenshot(s); {0} failed.</source>
        <translation>
            <numerusform>Saved %n screenshot; {0} failed.</numerusform>
            <numerusform>Saved %n screenshots; {0} failed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) failed:</source>
        <translation>
            <numerusform>%n action failed:</numerusform>
            <numerusform>%n actions failed:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln volume(s)</source>
        <translation>
            <numerusform>%Ln volume</numerusform>
            <numerusform>%Ln volumes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>captured %n s ago</source>
        <translation>
            <numerusform>captured %n s ago</numerusform>
            <numerusform>captured %n s ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>captured %n min ago</source>
        <translation>
            <numerusform>captured %n min ago</numerusform>
            <numerusform>captured %n min ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>captured %n h ago</source>
        <translation>
            <numerusform>captured %n h ago</numerusform>
            <numerusform>captured %n h ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Its %n checkpoint(s) are removed.</source>
        <translation>
            <numerusform>Its checkpoint is removed.</numerusform>
            <numerusform>Its %n checkpoints are removed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n storage file(s)? They cannot be recovered.</source>
        <translation>
            <numerusform>Delete %n storage file? It cannot be recovered.</numerusform>
            <numerusform>Delete %n storage files? They cannot be recovered.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n virtual machine(s) selected</source>
        <translation>
            <numerusform>%n virtual machine selected</numerusform>
            <numerusform>%n virtual machines selected</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n virtual machine(s)?</source>
        <translation>
            <numerusform>Delete %n virtual machine?</numerusform>
            <numerusform>Delete %n virtual machines?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of {0} virtual machines deleted completely.</source>
        <translation>
            <numerusform>%n of {0} virtual machines deleted completely.</numerusform>
            <numerusform>%n of {0} virtual machines deleted completely.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n virtual machine(s) deleted.</source>
        <translation>
            <numerusform>%n virtual machine deleted.</numerusform>
            <numerusform>%n virtual machines deleted.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n virtual machine(s)</source>
        <translation>
            <numerusform>%n virtual machine</numerusform>
            <numerusform>%n virtual machines</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n host(s)</source>
        <translation>
            <numerusform>%n host</numerusform>
            <numerusform>%n hosts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{0} {1} of %n host(s) done</source>
        <translation>
            <numerusform>{0} {1} of %n host done</numerusform>
            <numerusform>{0} {1} of %n hosts done</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Changing the tags of %n virtual machine(s)…</source>
        <translation>
            <numerusform>Changing the tags of %n virtual machine…</numerusform>
            <numerusform>Changing the tags of %n virtual machines…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n virtual machine(s) kept their tags:</source>
        <translation>
            <numerusform>%n virtual machine kept its tags:</numerusform>
            <numerusform>%n virtual machines kept their tags:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Also delete the %n snapshot(s) taken after it from this one</source>
        <translation>
            <numerusform>Also delete the %n snapshot taken after it from this one</numerusform>
            <numerusform>Also delete the %n snapshots taken after it from this one</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>A name has at most %n character(s).</source>
        <translation>
            <numerusform>A name has at most %n character.</numerusform>
            <numerusform>A name has at most %n characters.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The search is longer than %n character(s).</source>
        <translation>
            <numerusform>The search is longer than %n character.</numerusform>
            <numerusform>The search is longer than %n characters.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>At most %n view(s) can be saved.</source>
        <translation>
            <numerusform>At most %n view can be saved.</numerusform>
            <numerusform>At most %n views can be saved.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DomainCommands</name>
    <message numerus="yes">
        <source>Force off %n virtual machine(s)?</source>
        <translation>
            <numerusform>Force off %n virtual machine?</numerusform>
            <numerusform>Force off %n virtual machines?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pause %n virtual machine(s)?</source>
        <translation>
            <numerusform>Pause %n virtual machine?</numerusform>
            <numerusform>Pause %n virtual machines?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Starting %n virtual machine(s)…</source>
        <translation>
            <numerusform>Starting %n virtual machine…</numerusform>
            <numerusform>Starting %n virtual machines…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Shutting down %n virtual machine(s)…</source>
        <translation>
            <numerusform>Shutting down %n virtual machine…</numerusform>
            <numerusform>Shutting down %n virtual machines…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Rebooting %n virtual machine(s)…</source>
        <translation>
            <numerusform>Rebooting %n virtual machine…</numerusform>
            <numerusform>Rebooting %n virtual machines…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Forcing off %n virtual machine(s)…</source>
        <translation>
            <numerusform>Forcing off %n virtual machine…</numerusform>
            <numerusform>Forcing off %n virtual machines…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pausing %n virtual machine(s)…</source>
        <translation>
            <numerusform>Pausing %n virtual machine…</numerusform>
            <numerusform>Pausing %n virtual machines…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Resuming %n virtual machine(s)…</source>
        <translation>
            <numerusform>Resuming %n virtual machine…</numerusform>
            <numerusform>Resuming %n virtual machines…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saving %n virtual machine(s)…</source>
        <translation>
            <numerusform>Saving %n virtual machine…</numerusform>
            <numerusform>Saving %n virtual machines…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Turning autostart on for %n virtual machine(s)…</source>
        <translation>
            <numerusform>Turning autostart on for %n virtual machine…</numerusform>
            <numerusform>Turning autostart on for %n virtual machines…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Turning autostart off for %n virtual machine(s)…</source>
        <translation>
            <numerusform>Turning autostart off for %n virtual machine…</numerusform>
            <numerusform>Turning autostart off for %n virtual machines…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n job(s) are still running. Quit anyway?</source>
        <translation>
            <numerusform>%n job is still running. Quit anyway?</numerusform>
            <numerusform>%n jobs are still running. Quit anyway?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ManySnapshotsDialog</name>
    <message numerus="yes">
        <source>A snapshot of each of the %n virtual machine(s), called:</source>
        <translation>
            <numerusform>A snapshot of the %n virtual machine, called:</numerusform>
            <numerusform>A snapshot of each of the %n virtual machines, called:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RunningComparison</name>
    <message numerus="yes">
        <source>Next boot — %n line(s) differ from the running configuration</source>
        <translation>
            <numerusform>Next boot — %n line differs from the running configuration</numerusform>
            <numerusform>Next boot — %n lines differ from the running configuration</numerusform>
        </translation>
    </message>
</context>
</TS>
