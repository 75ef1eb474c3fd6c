<?php
Dict::Add('EN US', 'English', 'English', array(
	'Class:UserRequest/Attribute:status/Value:waiting_for_vendor' => 'Waiting for vendor',
	'Class:UserRequest/Attribute:status/Value:waiting_for_vendor+' => 'A vendor (supplier) works on the request',
	'Class:UserRequest/Stimulus:ev_wait_for_vendor' => 'Wait for vendor',
	'Class:UserRequest/Stimulus:ev_wait_for_vendor+' => '',
	'Class:UserRequest/Stimulus:ev_cancel' => 'Cancel',
	'Class:UserRequest/Stimulus:ev_cancel+' => '',
));
